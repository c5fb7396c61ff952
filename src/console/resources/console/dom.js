// DOM building with createElement and text nodes only: every value from the API is text, never markup.
let nextId = 0;

/** h('button', {type: 'button', onclick: f}, 'Save'): an element; null/false children are skipped. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** A labelled input (or select/textarea given as `control`): the label wraps it. */
export function field(text, control) {
  if (!control.id) control.id = `f${++nextId}`;
  return h('label', { for: control.id }, text, control);
}

export function select(name, options, value) {
  return h('select', { name }, options.map((o) => h('option', { value: o, selected: o === value }, o || '(any)')));
}

/** A table with a header row; rows are arrays of cells (strings or nodes). */
export function table(caption, headers, rows) {
  return h('table', {},
    h('caption', { class: 'skip' }, caption),
    h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c))))));
}

export function dl(pairs) {
  return h('dl', { class: 'meta' }, pairs.filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

/** An epoch-seconds number (AWS's JSON dates) as local date and time. */
export function date(seconds) {
  if (seconds === undefined || seconds === null) return '';
  return new Date(Number(seconds) * 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

const statusEl = () => document.getElementById('status');

/** Shows an outcome in the live region (read out by screen readers). */
export function say(text, kind = 'ok') {
  statusEl().replaceChildren(h('span', { class: kind }, text));
}

export function clearStatus() { statusEl().replaceChildren(); }

/**
 * Runs an action from a button: the button is disabled meanwhile, an AWS error is shown as AWS
 * returned it (code: message), success shows `done` (a string or a function of the result).
 */
export async function act(button, work, done) {
  if (button) button.disabled = true;
  try {
    const result = await work();
    if (done) say(typeof done === 'function' ? done(result) : done, 'ok');
    return result;
  } catch (e) {
    say(e.message, 'error');
    return undefined;
  } finally {
    if (button) button.disabled = false;
  }
}

/** Re-renders the current view (set by main.js), keeping the status line. */
export const view = { refresh: async () => {} };
