// Audit: KeyhavenAdmin.LookupEvents with its filters, one event's CloudTrail JSON, a chart of
// requests and errors over time from the events found, and KeyhavenAdmin.VerifyAuditTrail.
import { admin } from './api.js';
import { h, field, table, act, say } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const filters = { KeyId: '', PrincipalArn: '', EventName: '', StartTime: '', EndTime: '', ErrorsOnly: false, MaxResults: 50 };

const epoch = (local) => (local ? Math.floor(new Date(local).getTime() / 1000) : undefined);
const parse = (e) => { try { return JSON.parse(e.CloudTrailEvent); } catch { return {}; } };

function svg(tag, attrs, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}

/** Bars of requests (and errors, overlaid) per time bucket; a table alternative for screen readers. */
export function chart(events) {
  if (!events.length) return h('p', {}, 'No events to chart.');
  const times = events.map((e) => Number(e.EventTime) * 1000);
  const from = Math.min(...times);
  const to = Math.max(...times);
  const steps = [1e3, 5e3, 15e3, 60e3, 300e3, 900e3, 3600e3, 21600e3, 86400e3];
  const step = steps.find((s) => (to - from) / s < 30) || 86400e3;
  const per = step < 60e3 ? `${step / 1e3} s` : step < 3600e3 ? `${step / 60e3} min` : `${step / 3600e3} h`;
  const start = Math.floor(from / step) * step;
  const n = Math.floor((to - start) / step) + 1;
  const buckets = Array.from({ length: n }, (_, i) => ({ at: start + i * step, requests: 0, errors: 0 }));
  events.forEach((e, i) => {
    const b = buckets[Math.floor((times[i] - start) / step)];
    b.requests += 1;
    if (parse(e).errorCode) b.errors += 1;
  });
  const W = 760, H = 180, pad = 28, bw = (W - pad * 2) / n;
  const max = Math.max(...buckets.map((b) => b.requests));
  const y = (v) => H - pad - (v / max) * (H - pad * 2);
  const label = (t) => new Date(t).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img',
    'aria-label': `Requests and errors per ${per}, ${events.length} events` });
  root.append(svg('line', { x1: pad, y1: H - pad, x2: W - pad, y2: H - pad, class: 'axis' }));
  root.append(svg('text', { x: 2, y: pad }, String(max)));
  buckets.forEach((b, i) => {
    const x = pad + i * bw + 1;
    root.append(svg('rect', { x, y: y(b.requests), width: Math.max(1, bw - 2), height: H - pad - y(b.requests), class: 'req' }));
    if (b.errors) root.append(svg('rect', { x, y: y(b.errors), width: Math.max(1, bw - 2), height: H - pad - y(b.errors), class: 'err' }));
  });
  root.append(svg('text', { x: pad, y: H - 8 }, label(start)));
  root.append(svg('text', { x: W - pad - 40, y: H - 8 }, label(start + (n - 1) * step)));
  return h('figure', { id: 'audit-chart' }, root,
    h('figcaption', { class: 'legend' }, h('span', { class: 'swatch-req' }, '■'), ' requests  ',
      h('span', { class: 'swatch-err' }, '■'), ` errors — per ${per}, from the ${events.length} events listed`));
}

function verifySection() {
  const out = h('div', { id: 'verify-result', role: 'status' });
  const button = h('button', { type: 'button', id: 'verify-trail' }, 'Verify the audit trail');
  button.addEventListener('click', async () => {
    out.replaceChildren(h('p', {}, 'Verifying…'));
    const r = await act(button, () => admin('VerifyAuditTrail', {}));
    if (!r) { out.replaceChildren(); return; }
    const counts = `${r.RecordsChecked} records in ${r.ChainsChecked} chain(s), ${r.CheckpointsChecked} checkpoints, ${r.ManifestsChecked} manifests checked`;
    if (r.Valid) {
      out.replaceChildren(h('p', { class: 'verdict ok' }, `Valid: the audit trail verifies (${counts}).`));
      say('The audit trail verifies.');
    } else {
      const f = (r.Findings || [])[0] || {};
      out.replaceChildren(h('p', { class: 'verdict error' }, `NOT valid: ${r.FindingCount} finding(s). First: ${f.Problem} in chain ${f.ChainId}, records ${f.FromSeq}–${f.ToSeq}: ${f.Detail || ''}`),
        h('p', {}, counts));
      say('The audit trail does NOT verify.', 'error');
    }
  });
  return h('section', { 'aria-label': 'Verify' }, h('h2', {}, 'Verify the trail (VerifyAuditTrail)'), button, out);
}

export async function auditPage() {
  const inputs = {
    KeyId: h('input', { name: 'key-id', value: filters.KeyId, size: 36 }),
    PrincipalArn: h('input', { name: 'principal', value: filters.PrincipalArn, size: 36 }),
    EventName: h('input', { name: 'event-name', value: filters.EventName, size: 18 }),
    StartTime: h('input', { name: 'start', type: 'datetime-local', value: filters.StartTime }),
    EndTime: h('input', { name: 'end', type: 'datetime-local', value: filters.EndTime }),
    MaxResults: h('input', { name: 'max', type: 'number', min: 1, max: 50, value: filters.MaxResults, size: 4 }),
  };
  const errorsOnly = h('input', { type: 'checkbox', name: 'errors-only', checked: filters.ErrorsOnly });
  const results = h('div', { id: 'events' });
  const detail = h('div', { id: 'event-detail' });
  const chartBox = h('div', {});
  const events = [];
  let nextToken;
  const more = h('button', { type: 'button', class: 'secondary', id: 'more-events', hidden: true }, 'More events');

  const render = () => {
    results.replaceChildren(table('Events', ['Time', 'Event', 'User', 'Error', ''], events.map((e) => {
      const ct = parse(e);
      const show = h('button', { type: 'button', class: 'secondary', 'aria-label': `Show event ${e.EventId}` }, 'JSON');
      show.addEventListener('click', () => {
        detail.replaceChildren(h('h3', {}, `Event ${e.EventId}`), h('pre', { class: 'mono', tabindex: 0 }, JSON.stringify(ct, null, 2)));
        detail.scrollIntoView();
      });
      return [new Date(Number(e.EventTime) * 1000).toLocaleString(), e.EventName, e.Username || '',
        ct.errorCode ? h('span', { class: 'error' }, ct.errorCode) : '', show];
    })));
    chartBox.replaceChildren(chart(events));
    more.hidden = !nextToken;
  };
  const request = () => {
    for (const [k, el] of Object.entries(inputs)) filters[k] = el.value;
    filters.ErrorsOnly = errorsOnly.checked;
    const r = { MaxResults: Number(filters.MaxResults) || 50 };
    for (const k of ['KeyId', 'PrincipalArn', 'EventName']) if (filters[k].trim()) r[k] = filters[k].trim();
    if (filters.StartTime) r.StartTime = epoch(filters.StartTime);
    if (filters.EndTime) r.EndTime = epoch(filters.EndTime);
    if (filters.ErrorsOnly) r.ErrorsOnly = true;
    return r;
  };
  const lookup = async (button, append) => {
    const r = await act(button, () => admin('LookupEvents', { ...request(), ...(append && nextToken ? { NextToken: nextToken } : {}) }),
      (x) => `${(x.Events || []).length} events found.`);
    if (!r) return;
    if (!append) events.length = 0;
    events.push(...(r.Events || []));
    nextToken = r.NextToken;
    render();
  };
  const search = h('button', { type: 'button', id: 'lookup-events' }, 'Look up events');
  search.addEventListener('click', () => lookup(search, false));
  more.addEventListener('click', () => lookup(more, true));
  const view = h('section', {},
    h('h1', {}, 'Audit'),
    h('fieldset', {}, h('legend', {}, 'LookupEvents filters'),
      h('div', { class: 'row' }, field('Key id or ARN', inputs.KeyId), field('Principal ARN', inputs.PrincipalArn),
        field('Event name', inputs.EventName), field('From', inputs.StartTime), field('To', inputs.EndTime),
        field('Max results (1–50)', inputs.MaxResults), h('label', { class: 'check' }, errorsOnly, 'Errors only'), search)),
    h('h2', {}, 'Requests and errors'), chartBox,
    h('h2', {}, 'Events'), results, more, detail,
    verifySection());
  await lookup(null, false);
  return view;
}
