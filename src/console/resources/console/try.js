// Try it: encrypt/decrypt and sign/verify a short text with a chosen key (Encrypt, Decrypt, Sign,
// Verify), showing the ciphertext or signature and the result.
import { kms, listAll, b64 } from './api.js';
import { h, field, act } from './dom.js';

function keyChoice(keys, usage, name) {
  const matching = keys.filter((k) => k.KeyUsage === usage && k.KeyState === 'Enabled');
  return h('select', { name }, matching.length ? matching.map((k) => h('option', { value: k.KeyId },
    `${k.KeyId}${k.Description ? ` — ${k.Description}` : ''} (${k.KeySpec})`)) : h('option', { value: '' }, `no enabled ${usage} key`));
}

function output(id) { return h('pre', { id, class: 'mono', tabindex: 0 }); }

function encryptPanel(keys) {
  const key = keyChoice(keys, 'ENCRYPT_DECRYPT', 'encrypt-key');
  const text = h('input', { id: 'plaintext', name: 'plaintext', value: 'hello, Keyhaven', size: 40 });
  const blob = h('textarea', { id: 'ciphertext', name: 'ciphertext', rows: 3 });
  const result = output('decrypted');
  const algorithm = (id) => {
    const k = keys.find((x) => x.KeyId === id);
    return k && k.KeySpec !== 'SYMMETRIC_DEFAULT' ? { EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' } : {};
  };
  const enc = h('button', { type: 'button', id: 'encrypt' }, 'Encrypt');
  enc.addEventListener('click', async () => {
    const r = await act(enc, () => kms('Encrypt', { KeyId: key.value, Plaintext: b64.fromText(text.value), ...algorithm(key.value) }), 'Encrypted.');
    if (r) blob.value = r.CiphertextBlob;
  });
  const dec = h('button', { type: 'button', id: 'decrypt' }, 'Decrypt');
  dec.addEventListener('click', async () => {
    const r = await act(dec, () => kms('Decrypt', { KeyId: key.value, CiphertextBlob: blob.value.trim(), ...algorithm(key.value) }), 'Decrypted.');
    if (r) result.textContent = b64.toText(r.Plaintext);
  });
  return h('fieldset', {}, h('legend', {}, 'Encrypt and decrypt'),
    h('div', { class: 'row' }, field('Key', key), field('Text', text), enc),
    field('Ciphertext (base64)', blob), h('div', { class: 'row' }, dec), h('p', {}, 'Decrypted text:'), result);
}

function signPanel(keys) {
  const key = keyChoice(keys, 'SIGN_VERIFY', 'sign-key');
  const algorithm = h('select', { name: 'signing-algorithm' });
  const fill = () => {
    const k = keys.find((x) => x.KeyId === key.value);
    algorithm.replaceChildren(...((k && k.SigningAlgorithms) || []).filter((a) => a !== 'ED25519_PH_SHA_512')
      .map((a) => h('option', { value: a }, a)));
  };
  key.addEventListener('change', fill);
  fill();
  const text = h('input', { name: 'message', value: 'release 1.0', size: 40 });
  const signature = h('textarea', { id: 'signature', name: 'signature', rows: 3 });
  const verdict = output('verify-result');
  const sign = h('button', { type: 'button', id: 'sign' }, 'Sign');
  sign.addEventListener('click', async () => {
    const r = await act(sign, () => kms('Sign', { KeyId: key.value, Message: b64.fromText(text.value), MessageType: 'RAW', SigningAlgorithm: algorithm.value }), 'Signed.');
    if (r) signature.value = r.Signature;
  });
  const verify = h('button', { type: 'button', id: 'verify' }, 'Verify');
  verify.addEventListener('click', async () => {
    verdict.textContent = '';
    const r = await act(verify, () => kms('Verify', { KeyId: key.value, Message: b64.fromText(text.value), MessageType: 'RAW',
      SigningAlgorithm: algorithm.value, Signature: signature.value.trim() }), 'The signature is valid.');
    verdict.textContent = r ? 'Valid signature.' : 'Not valid (see the error above).';
  });
  return h('fieldset', {}, h('legend', {}, 'Sign and verify'),
    h('div', { class: 'row' }, field('Key', key), field('Algorithm', algorithm), field('Message', text), sign),
    field('Signature (base64)', signature), h('div', { class: 'row' }, verify), verdict);
}

export async function tryPage() {
  const ids = await listAll('ListKeys', { Limit: 100 }, 'Keys', 200);
  const keys = (await Promise.all(ids.map((k) => kms('DescribeKey', { KeyId: k.KeyId }).then((r) => r.KeyMetadata, () => null)))).filter(Boolean);
  return h('section', {}, h('h1', {}, 'Try it'),
    h('p', {}, 'Each button is one API call with your credential, audited like any other.'),
    encryptPanel(keys), signPanel(keys));
}
