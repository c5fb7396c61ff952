// The console's shell: sign-in, navigation between the views (#/keys, #/keys/<id>, #/audit,
// #/try), sign-out. No state survives a reload: the credential is in memory only.
import * as api from './api.js';
import { h, field, say, clearStatus, view as current } from './dom.js';
import { keyList, keyPage } from './keys.js';
import { auditPage } from './audit.js';
import { tryPage } from './try.js';

const main = document.getElementById('main');
let config = { Region: 'us-east-1', DevSignIn: false };

async function loadConfig() {
  try {
    const r = await fetch('config.json', { cache: 'no-store', credentials: 'omit' });
    if (r.ok) config = await r.json();
  } catch { /* a console served elsewhere: defaults */ }
}

function defaultEndpoint() { return `${location.origin}/`; }

async function start(session) {
  api.signIn(session);
  try {
    await api.kms('ListKeys', { Limit: 1 }); // proves the credential before showing anything
  } catch (e) {
    api.signOut();
    say(`Sign-in failed: ${e.message}`, 'error');
    return;
  }
  document.getElementById('who').textContent = `${api.who()} · ${session.endpoint}`;
  document.getElementById('nav').hidden = false;
  document.getElementById('sign-out').hidden = false;
  clearStatus();
  if (!location.hash || location.hash === '#/') location.hash = '#/keys';
  else route();
}

function signInPage() {
  const endpoint = h('input', { name: 'endpoint', value: defaultEndpoint(), size: 40, autocomplete: 'off' });
  const region = h('input', { name: 'region', value: config.Region, size: 12, autocomplete: 'off' });
  const token = h('textarea', { name: 'token', rows: 3, autocomplete: 'off', spellcheck: 'false' });
  const keyId = h('input', { name: 'access-key-id', size: 24, autocomplete: 'off', spellcheck: 'false' });
  const secret = h('input', { name: 'secret-access-key', type: 'password', size: 40, autocomplete: 'off' });
  const sessionToken = h('input', { name: 'session-token', type: 'password', size: 40, autocomplete: 'off' });
  const common = () => ({ endpoint: endpoint.value.trim(), region: region.value.trim() });
  const view = h('section', { class: 'signin' },
    h('h1', {}, 'Sign in'),
    h('p', {}, 'Your credential stays in this tab\'s memory only: reloading or closing the tab signs you out.'),
    h('div', { class: 'row' }, field('Endpoint', endpoint), field('Region', region)),
    config.DevSignIn && h('div', { class: 'panel' },
      h('p', {}, 'Local mode: this server accepts the development root credential (test / test) from loopback.'),
      h('button', { type: 'button', id: 'dev-sign-in', onclick: () => start({ ...common(),
        credential: { accessKeyId: 'test', secretAccessKey: 'test' } }) }, 'Sign in as the development root')),
    h('fieldset', {}, h('legend', {}, 'Bearer token (JWT)'), field('Token', token),
      h('div', {}, h('button', { type: 'button', id: 'token-sign-in', onclick: () => {
        if (!token.value.trim()) return say('Paste a token first.', 'error');
        start({ ...common(), credential: { bearer: token.value.trim() } });
      } }, 'Sign in with token'))),
    h('fieldset', {}, h('legend', {}, 'Access key (SigV4)'),
      h('div', { class: 'row' }, field('Access key id', keyId), field('Secret access key', secret),
        field('Session token (optional)', sessionToken)),
      h('button', { type: 'button', id: 'key-sign-in', onclick: () => {
        if (!keyId.value.trim() || !secret.value) return say('Enter the access key id and secret.', 'error');
        start({ ...common(), credential: { accessKeyId: keyId.value.trim(), secretAccessKey: secret.value,
          sessionToken: sessionToken.value.trim() || undefined } });
      } }, 'Sign in with access key')));
  main.replaceChildren(view);
}

async function route() {
  if (!api.signedIn()) return signInPage();
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.getAttribute('href') === `#/${parts[0]}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  let view;
  if (parts[0] === 'keys' && parts[1]) view = await keyPage(parts[1]);
  else if (parts[0] === 'audit') view = await auditPage();
  else if (parts[0] === 'try') view = await tryPage();
  else view = await keyList();
  main.replaceChildren(view);
  main.focus();
}

document.getElementById('sign-out').addEventListener('click', () => {
  api.signOut();
  document.getElementById('nav').hidden = true;
  document.getElementById('sign-out').hidden = true;
  document.getElementById('who').textContent = '';
  clearStatus();
  signInPage();
});
window.addEventListener('hashchange', () => { clearStatus(); route(); });
current.refresh = route;
await loadConfig();
signInPage();
