// AWS Signature Version 4 for the KMS JSON API, with the browser's Web Crypto (AWS General
// Reference, "Create a signed AWS API request"). The secret stays in this tab's memory: it is
// imported as a non-extractable HMAC key and never written anywhere.

const enc = new TextEncoder();

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function sha256Hex(bytes) {
  return hex(await crypto.subtle.digest('SHA-256', bytes));
}

async function hmac(key, text) {
  const k = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return crypto.subtle.sign('HMAC', k, enc.encode(text));
}

/** 20261207T132455Z and 20261207 for a Date. */
export function amzDate(now) {
  const iso = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return { dateTime: iso, date: iso.slice(0, 8) };
}

/**
 * The headers that sign a POST of `body` (a string) to `url`: Authorization and X-Amz-Date (and
 * X-Amz-Security-Token for a session credential). `headers` are the other headers sent, all signed.
 */
export async function sign({ url, region, service = 'kms', headers, body, credential, now = new Date() }) {
  const u = new URL(url);
  const { dateTime, date } = amzDate(now);
  const all = { ...headers, host: u.host, 'x-amz-date': dateTime };
  if (credential.sessionToken) all['x-amz-security-token'] = credential.sessionToken;
  const names = Object.keys(all).map((n) => n.toLowerCase()).sort();
  const lower = Object.fromEntries(Object.entries(all).map(([k, v]) => [k.toLowerCase(), String(v).trim()]));
  const canonicalHeaders = names.map((n) => `${n}:${lower[n]}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = ['POST', u.pathname || '/', u.search.replace(/^\?/, ''), canonicalHeaders,
    signedHeaders, await sha256Hex(enc.encode(body))].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', dateTime, scope, await sha256Hex(enc.encode(canonicalRequest))].join('\n');
  let key = await hmac(enc.encode('AWS4' + credential.secretAccessKey), date);
  key = await hmac(key, region);
  key = await hmac(key, service);
  key = await hmac(key, 'aws4_request');
  const signature = hex(await hmac(key, stringToSign));
  const out = {
    'X-Amz-Date': dateTime,
    Authorization: `AWS4-HMAC-SHA256 Credential=${credential.accessKeyId}/${scope}, `
      + `SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
  if (credential.sessionToken) out['X-Amz-Security-Token'] = credential.sessionToken;
  return out;
}
