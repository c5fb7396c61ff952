// The one way the console talks to Keyhaven: the AWS KMS JSON API (TrentService.*) and the
// KeyhavenAdmin API, with the signed-in user's own credential. The credential lives only in this
// module's memory (no web storage, no cookie): closing or reloading the tab
// forgets it.
import { sign } from './sigv4.js';

const CONTENT_TYPE = 'application/x-amz-json-1.1';
let session = null; // { endpoint, region, credential: {bearer} | {accessKeyId, secretAccessKey, sessionToken} }

/** An AWS error answer: `type` is the `__type` code, `message` AWS's message. */
export class ApiError extends Error {
  constructor(type, message, status, requestId) {
    super(message ? `${type}: ${message}` : type);
    this.type = type;
    this.awsMessage = message;
    this.status = status;
    this.requestId = requestId;
  }
}

export function signIn(s) { session = s; }
export function signOut() { session = null; }
export function signedIn() { return session !== null; }
export function who() {
  if (!session) return '';
  const c = session.credential;
  return c.bearer ? 'bearer token' : `access key ${c.accessKeyId}`;
}

/** Calls `target` ('TrentService.ListKeys', 'KeyhavenAdmin.LookupEvents') with `request`. */
export async function call(target, request = {}) {
  if (!session) throw new ApiError('NotSignedIn', 'Sign in first.', 0, null);
  const body = JSON.stringify(request);
  const url = session.endpoint;
  const headers = { 'Content-Type': CONTENT_TYPE, 'X-Amz-Target': target };
  const c = session.credential;
  const auth = c.bearer
    ? { Authorization: `Bearer ${c.bearer}` }
    : await sign({ url, region: session.region, headers, body, credential: c });
  let response;
  try {
    response = await fetch(url, { method: 'POST', headers: { ...headers, ...auth }, body,
      credentials: 'omit', cache: 'no-store', redirect: 'error' });
  } catch (e) {
    throw new ApiError('NetworkError', `No answer from ${url} (${e.message}).`, 0, null);
  }
  const requestId = response.headers.get('x-amzn-RequestId');
  const text = await response.text();
  let json = {};
  try { json = text ? JSON.parse(text) : {}; } catch { json = { __type: 'InvalidResponse', message: text.slice(0, 200) }; }
  if (!response.ok) {
    const type = String(json.__type || `HTTP ${response.status}`).replace(/^.*#/, '');
    throw new ApiError(type, json.message || json.Message || '', response.status, requestId);
  }
  return json;
}

export const kms = (operation, request) => call(`TrentService.${operation}`, request);
export const admin = (operation, request) => call(`KeyhavenAdmin.${operation}`, request);

/** Every page of a paged KMS list (Marker/NextMarker), up to `max` items. */
export async function listAll(operation, request, member, max = 1000) {
  const items = [];
  let marker;
  do {
    const page = await kms(operation, { ...request, ...(marker ? { Marker: marker } : {}) });
    items.push(...(page[member] || []));
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker && items.length < max);
  return items;
}

export const b64 = {
  fromText: (t) => btoa(String.fromCharCode(...new TextEncoder().encode(t))),
  toText: (b) => new TextDecoder().decode(Uint8Array.from(atob(b), (c) => c.charCodeAt(0))),
};
