// Keys: the list (ListKeys paged by Marker, each key's DescribeKey, aliases and rotation status)
// and a key's page with every action. Each action is one API call, audited like any other.
import { kms, listAll } from './api.js';
import { h, field, select, table, dl, date, say, act, view } from './dom.js';

const SPECS = {
  SYMMETRIC_DEFAULT: ['ENCRYPT_DECRYPT'],
  RSA_2048: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'], RSA_3072: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  RSA_4096: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  ECC_NIST_P256: ['SIGN_VERIFY', 'KEY_AGREEMENT'], ECC_NIST_P384: ['SIGN_VERIFY', 'KEY_AGREEMENT'],
  ECC_NIST_P521: ['SIGN_VERIFY', 'KEY_AGREEMENT'], ECC_SECG_P256K1: ['SIGN_VERIFY'],
  ECC_NIST_EDWARDS25519: ['SIGN_VERIFY'],
  HMAC_224: ['GENERATE_VERIFY_MAC'], HMAC_256: ['GENERATE_VERIFY_MAC'], HMAC_384: ['GENERATE_VERIFY_MAC'],
  HMAC_512: ['GENERATE_VERIFY_MAC'],
};
const STATES = ['', 'Enabled', 'Disabled', 'PendingDeletion', 'PendingImport', 'Unavailable'];
const list = { limit: 25, markers: [undefined], page: 0, text: '', state: '', spec: '' };

const keyLink = (id) => h('a', { href: `#/keys/${encodeURIComponent(id)}`, class: 'mono' }, id);

async function rotationOf(meta) {
  if (meta.KeySpec !== 'SYMMETRIC_DEFAULT' || meta.Origin !== 'AWS_KMS') return 'not supported';
  try {
    const r = await kms('GetKeyRotationStatus', { KeyId: meta.KeyId });
    return r.KeyRotationEnabled ? `every ${r.RotationPeriodInDays} days` : 'off';
  } catch (e) { return e.type; }
}

function createForm() {
  const description = h('input', { name: 'description', size: 30 });
  const spec = select('key-spec', Object.keys(SPECS), 'SYMMETRIC_DEFAULT');
  const usage = select('key-usage', SPECS.SYMMETRIC_DEFAULT, 'ENCRYPT_DECRYPT');
  spec.addEventListener('change', () => usage.replaceChildren(...SPECS[spec.value].map((u) => h('option', { value: u }, u))));
  const button = h('button', { type: 'button', id: 'create-key', onclick: async () => {
    const r = await act(button, () => kms('CreateKey', { Description: description.value, KeySpec: spec.value, KeyUsage: usage.value }),
      (x) => `Created key ${x.KeyMetadata.KeyId}.`);
    if (r) location.hash = `#/keys/${r.KeyMetadata.KeyId}`;
  } }, 'Create key');
  return h('fieldset', {}, h('legend', {}, 'Create a key'),
    h('div', { class: 'row' }, field('Description', description), field('Key spec', spec), field('Key usage', usage), button));
}

export async function keyList() {
  const page = await kms('ListKeys', { Limit: list.limit, ...(list.markers[list.page] ? { Marker: list.markers[list.page] } : {}) });
  list.markers[list.page + 1] = page.Truncated ? page.NextMarker : undefined;
  const aliases = await listAll('ListAliases', { Limit: 100 }, 'Aliases');
  const byKey = {};
  for (const a of aliases) if (a.TargetKeyId) (byKey[a.TargetKeyId] ||= []).push(a.AliasName);
  const keys = await Promise.all((page.Keys || []).map(async (k) => {
    const meta = (await kms('DescribeKey', { KeyId: k.KeyId })).KeyMetadata;
    return { meta, aliases: byKey[k.KeyId] || [], rotation: await rotationOf(meta) };
  }));
  const text = list.text.toLowerCase();
  const shown = keys.filter(({ meta, aliases: names }) => (!list.state || meta.KeyState === list.state)
    && (!list.spec || meta.KeySpec === list.spec)
    && (!text || [meta.KeyId, meta.Description, ...names].some((s) => (s || '').toLowerCase().includes(text))));
  const filterText = h('input', { name: 'filter', type: 'search', value: list.text, size: 24 });
  const state = select('state', STATES, list.state);
  const spec = select('spec', ['', ...Object.keys(SPECS)], list.spec);
  const size = select('page-size', ['10', '25', '50', '100'], String(list.limit));
  const apply = () => { Object.assign(list, { text: filterText.value, state: state.value, spec: spec.value }); view.refresh(); };
  filterText.addEventListener('change', apply);
  state.addEventListener('change', apply);
  spec.addEventListener('change', apply);
  size.addEventListener('change', () => { Object.assign(list, { limit: Number(size.value), markers: [undefined], page: 0 }); view.refresh(); });
  const prev = h('button', { type: 'button', class: 'secondary', disabled: list.page === 0,
    onclick: () => { list.page -= 1; view.refresh(); } }, 'Previous page');
  const next = h('button', { type: 'button', class: 'secondary', id: 'next-page', disabled: !page.Truncated,
    onclick: () => { list.page += 1; view.refresh(); } }, 'Next page');
  return h('section', {},
    h('h1', {}, 'Keys'),
    createForm(),
    h('div', { class: 'row', role: 'search' }, field('Filter (id, alias, description)', filterText), field('State', state),
      field('Key spec', spec), field('Keys per page', size)),
    h('p', { class: 'legend' }, `Page ${list.page + 1}: ${shown.length} of ${keys.length} keys shown (filters apply to this page).`),
    h('div', { id: 'key-table' }, table('Keys', ['Key', 'Aliases', 'Description', 'State', 'Spec', 'Usage', 'Created', 'Rotation'],
      shown.map(({ meta, aliases: names, rotation }) => [keyLink(meta.KeyId), names.join(', '), meta.Description || '',
        h('span', { class: `state-${meta.KeyState}` }, meta.KeyState), meta.KeySpec, meta.KeyUsage,
        date(meta.CreationDate), rotation]))),
    h('div', { class: 'row' }, prev, next));
}

/** A section whose content comes from `load`; an error (e.g. AccessDenied) is shown in it. */
async function section(title, load) {
  let body;
  try { body = await load(); } catch (e) { body = h('p', { class: 'error' }, e.message); }
  return h('section', { 'aria-label': title }, h('h2', {}, title), body);
}

const reload = () => view.refresh();

function stateActions(meta) {
  const id = meta.KeyId;
  const days = h('input', { id: 'deletion-days', type: 'number', min: 7, max: 30, value: 30, size: 4 });
  const b = (label, attrs, work, done) => {
    const button = h('button', { type: 'button', ...attrs }, label);
    button.addEventListener('click', async () => { if (await act(button, work, done) !== undefined) reload(); });
    return button;
  };
  const description = h('input', { name: 'new-description', value: meta.Description || '', size: 40 });
  return h('div', {},
    h('div', { class: 'row' },
      meta.KeyState === 'Enabled' && b('Disable key', { id: 'disable-key', class: 'secondary' }, () => kms('DisableKey', { KeyId: id }), 'Key disabled.'),
      meta.KeyState === 'Disabled' && b('Enable key', { id: 'enable-key' }, () => kms('EnableKey', { KeyId: id }), 'Key enabled.'),
      meta.KeyState === 'PendingDeletion'
        ? b('Cancel deletion', { id: 'cancel-deletion' }, () => kms('CancelKeyDeletion', { KeyId: id }), 'Deletion cancelled; the key is Disabled.')
        : [field('Waiting period (days, 7–30)', days),
          b('Schedule deletion', { id: 'schedule-deletion', class: 'danger' },
            () => kms('ScheduleKeyDeletion', { KeyId: id, PendingWindowInDays: Number(days.value) }),
            (r) => `Deletion scheduled for ${date(r.DeletionDate)}.`)]),
    h('div', { class: 'row' }, field('Description', description),
      b('Update description', { class: 'secondary' }, () => kms('UpdateKeyDescription', { KeyId: id, Description: description.value }), 'Description updated.')));
}

async function aliasSection(id) {
  const aliases = await listAll('ListAliases', { KeyId: id, Limit: 100 }, 'Aliases');
  const name = h('input', { id: 'alias-name', name: 'alias-name', value: 'alias/', size: 30 });
  const create = h('button', { type: 'button', id: 'create-alias' }, 'Create alias');
  create.addEventListener('click', async () => {
    if (await act(create, () => kms('CreateAlias', { AliasName: name.value, TargetKeyId: id }), `Alias ${name.value} created.`) !== undefined) reload();
  });
  const move = h('button', { type: 'button', class: 'secondary' }, 'Point existing alias here');
  move.addEventListener('click', async () => {
    if (await act(move, () => kms('UpdateAlias', { AliasName: name.value, TargetKeyId: id }), `Alias ${name.value} now names this key.`) !== undefined) reload();
  });
  const del = (alias) => {
    const button = h('button', { type: 'button', class: 'secondary', 'aria-label': `Delete ${alias}` }, 'Delete');
    button.addEventListener('click', async () => {
      if (await act(button, () => kms('DeleteAlias', { AliasName: alias }), `Alias ${alias} deleted.`) !== undefined) reload();
    });
    return button;
  };
  return h('div', {},
    aliases.length ? table('Aliases', ['Alias', ''], aliases.map((a) => [h('span', { class: 'mono' }, a.AliasName), del(a.AliasName)])) : h('p', {}, 'No aliases.'),
    h('div', { class: 'row' }, field('Alias name', name), create, move));
}

async function tagSection(id) {
  const tags = (await kms('ListResourceTags', { KeyId: id, Limit: 50 })).Tags || [];
  const key = h('input', { name: 'tag-key', size: 20 });
  const value = h('input', { name: 'tag-value', size: 20 });
  const add = h('button', { type: 'button' }, 'Add or update tag');
  add.addEventListener('click', async () => {
    if (await act(add, () => kms('TagResource', { KeyId: id, Tags: [{ TagKey: key.value, TagValue: value.value }] }), `Tag ${key.value} set.`) !== undefined) reload();
  });
  const untag = (k) => {
    const button = h('button', { type: 'button', class: 'secondary', 'aria-label': `Remove tag ${k}` }, 'Remove');
    button.addEventListener('click', async () => {
      if (await act(button, () => kms('UntagResource', { KeyId: id, TagKeys: [k] }), `Tag ${k} removed.`) !== undefined) reload();
    });
    return button;
  };
  return h('div', {},
    tags.length ? table('Tags', ['Key', 'Value', ''], tags.map((t) => [t.TagKey, t.TagValue, untag(t.TagKey)])) : h('p', {}, 'No tags.'),
    h('div', { class: 'row' }, field('Tag key', key), field('Tag value', value), add));
}

async function policySection(id) {
  const policy = (await kms('GetKeyPolicy', { KeyId: id, PolicyName: 'default' })).Policy;
  let pretty = policy;
  try { pretty = JSON.stringify(JSON.parse(policy), null, 2); } catch { /* shown as stored */ }
  const text = h('textarea', { id: 'policy', rows: Math.min(30, pretty.split('\n').length + 2), spellcheck: 'false' });
  text.value = pretty;
  const error = h('p', { id: 'policy-error', class: 'error', role: 'alert' });
  const save = h('button', { type: 'button', id: 'save-policy' }, 'Save policy');
  save.addEventListener('click', async () => {
    error.textContent = '';
    save.disabled = true;
    try {
      // Sent as typed: the server's grammar check (MalformedPolicyDocumentException) is the judge.
      await kms('PutKeyPolicy', { KeyId: id, PolicyName: 'default', Policy: text.value });
      say('Key policy saved.');
      reload();
    } catch (e) {
      error.textContent = e.message;
      say(e.message, 'error');
    } finally { save.disabled = false; }
  });
  return h('div', {}, field('Key policy (JSON)', text), error, save);
}

async function rotationSection(meta) {
  const id = meta.KeyId;
  const parts = [];
  if (meta.KeySpec === 'SYMMETRIC_DEFAULT') {
    const s = await kms('GetKeyRotationStatus', { KeyId: id });
    parts.push(dl([['Automatic rotation', s.KeyRotationEnabled ? 'on' : 'off'],
      ['Rotation period', s.RotationPeriodInDays ? `${s.RotationPeriodInDays} days` : ''],
      ['Next rotation', date(s.NextRotationDate)], ['On-demand rotation started', date(s.OnDemandRotationStartDate)]]));
    const period = h('input', { name: 'rotation-period', type: 'number', min: 90, max: 2560, value: s.RotationPeriodInDays || 365, size: 5 });
    const on = h('button', { type: 'button', class: 'secondary' }, s.KeyRotationEnabled ? 'Change period' : 'Turn on automatic rotation');
    on.addEventListener('click', async () => {
      if (await act(on, () => kms('EnableKeyRotation', { KeyId: id, RotationPeriodInDays: Number(period.value) }), 'Automatic rotation on.') !== undefined) reload();
    });
    const off = s.KeyRotationEnabled && h('button', { type: 'button', class: 'secondary' }, 'Turn off automatic rotation');
    if (off) off.addEventListener('click', async () => {
      if (await act(off, () => kms('DisableKeyRotation', { KeyId: id }), 'Automatic rotation off.') !== undefined) reload();
    });
    parts.push(h('div', { class: 'row' }, field('Period (days, 90–2560)', period), on, off));
  }
  const now = h('button', { type: 'button', id: 'rotate-now' }, 'Rotate now');
  now.addEventListener('click', async () => {
    if (await act(now, () => kms('RotateKeyOnDemand', { KeyId: id }), 'Rotation started: a new key material version is current.') !== undefined) reload();
  });
  parts.push(h('div', { class: 'row' }, now));
  const rotations = await listAll('ListKeyRotations', { KeyId: id, Limit: 100 }, 'Rotations').catch((e) => e);
  parts.push(h('h3', {}, 'Key material versions (ListKeyRotations)'));
  parts.push(rotations instanceof Error ? h('p', {}, rotations.message)
    : rotations.length ? h('div', { id: 'rotations' }, table('Rotations', ['Key material', 'State', 'Rotation date', 'Type'],
      rotations.map((r) => [h('span', { class: 'mono' }, r.KeyMaterialId || ''), r.KeyMaterialState || '', date(r.RotationDate), r.RotationType || ''])))
      : h('p', { id: 'rotations' }, 'No rotations yet.'));
  return h('div', {}, parts);
}

const GRANT_OPERATIONS = ['Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom',
  'ReEncryptTo', 'Sign', 'Verify', 'GetPublicKey', 'GenerateMac', 'VerifyMac', 'DeriveSharedSecret', 'DescribeKey',
  'CreateGrant', 'RetireGrant', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext'];

async function grantSection(id) {
  const grants = await listAll('ListGrants', { KeyId: id, Limit: 100 }, 'Grants');
  const grantee = h('input', { name: 'grantee', size: 40, placeholder: 'arn:aws:iam::111122223333:role/App' });
  const retiring = h('input', { name: 'retiring-principal', size: 40 });
  const name = h('input', { name: 'grant-name', size: 20 });
  const ops = h('select', { name: 'operations', multiple: true, size: 6 }, GRANT_OPERATIONS.map((o) => h('option', { value: o }, o)));
  const result = h('p', { class: 'mono' });
  const create = h('button', { type: 'button' }, 'Create grant');
  create.addEventListener('click', async () => {
    const r = await act(create, () => kms('CreateGrant', { KeyId: id, GranteePrincipal: grantee.value,
      Operations: [...ops.selectedOptions].map((o) => o.value),
      ...(retiring.value ? { RetiringPrincipal: retiring.value } : {}), ...(name.value ? { Name: name.value } : {}) }),
    (x) => `Grant ${x.GrantId} created.`);
    if (r) { await reload(); say(`Grant ${r.GrantId} created. Grant token (shown once, not stored): ${r.GrantToken}`); }
  });
  const grantButton = (label, work, done) => {
    const button = h('button', { type: 'button', class: 'secondary' }, label);
    button.addEventListener('click', async () => { if (await act(button, work, done) !== undefined) reload(); });
    return button;
  };
  return h('div', {},
    grants.length ? table('Grants', ['Grant', 'Name', 'Grantee', 'Retiring principal', 'Operations', 'Created', ''],
      grants.map((g) => [h('span', { class: 'mono' }, g.GrantId), g.Name || '', g.GranteePrincipal, g.RetiringPrincipal || '',
        (g.Operations || []).join(', '), date(g.CreationDate),
        h('div', { class: 'row' },
          grantButton('Retire', () => kms('RetireGrant', { KeyId: id, GrantId: g.GrantId }), `Grant ${g.GrantId} retired.`),
          grantButton('Revoke', () => kms('RevokeGrant', { KeyId: id, GrantId: g.GrantId }), `Grant ${g.GrantId} revoked.`))]))
      : h('p', {}, 'No grants.'),
    h('fieldset', {}, h('legend', {}, 'Create a grant'),
      h('div', { class: 'row' }, field('Grantee principal', grantee), field('Operations', ops),
        field('Retiring principal (optional)', retiring), field('Name (optional)', name), create), result));
}

export async function keyPage(keyId) {
  let meta;
  try { meta = (await kms('DescribeKey', { KeyId: keyId })).KeyMetadata; } catch (e) {
    return h('section', {}, h('h1', {}, 'Key'), h('p', { class: 'error' }, e.message), h('a', { href: '#/keys' }, 'All keys'));
  }
  const id = meta.KeyId;
  const sections = await Promise.all([
    section('Aliases', () => aliasSection(id)),
    section('Tags', () => tagSection(id)),
    section('Key policy', () => policySection(id)),
    section('Rotation', () => rotationSection(meta)),
    section('Grants', () => grantSection(id)),
  ]);
  const algorithms = [...(meta.EncryptionAlgorithms || []), ...(meta.SigningAlgorithms || []), ...(meta.MacAlgorithms || []),
    ...(meta.KeyAgreementAlgorithms || [])].join(', ');
  return h('section', {},
    h('p', {}, h('a', { href: '#/keys' }, '← All keys')),
    h('h1', {}, 'Key ', h('span', { class: 'mono' }, id)),
    dl([['ARN', h('span', { class: 'mono' }, meta.Arn)], ['State', h('span', { id: 'key-state', class: `state-${meta.KeyState}` }, meta.KeyState)],
      ['Deletion date', date(meta.DeletionDate)], ['Description', meta.Description],
      ['Key spec', meta.KeySpec], ['Key usage', meta.KeyUsage], ['Origin', meta.Origin], ['Key manager', meta.KeyManager],
      ['Created', date(meta.CreationDate)], ['Algorithms', algorithms], ['Current key material', meta.CurrentKeyMaterialId]]),
    h('h2', {}, 'Actions'), stateActions(meta),
    sections);
}
