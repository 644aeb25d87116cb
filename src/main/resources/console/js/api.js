// The API client: the bearer header on every call, JSON in and out, the API's error body turned into ApiError.
import * as session from './session.js';

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `HTTP ${status}`);
    this.status = status;
    this.code = (body && body.error) || `http_${status}`;
    this.details = (body && body.details) || [];
  }
}

const listeners = new Set();
/** Called with the ApiError of every 401, so the app can ask for a new token. */
export function onUnauthorized(fn) {
  listeners.add(fn);
}

export function base(ws = session.workspace()) {
  return `/orchestration/api/v1/workspaces/${encodeURIComponent(ws)}`;
}

export function headers(extra = {}) {
  const h = {Accept: 'application/json', ...extra};
  const t = session.token();
  if (t) h.Authorization = `Bearer ${t}`;
  return h;
}

/** request('GET', '/orchestrations', {query, body, headers, signal}) → parsed JSON (null for 204). */
export async function request(method, path, options = {}) {
  const url = new URL(base() + path, location.origin);
  for (const [k, v] of Object.entries(options.query || {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v);
  }
  const init = {method, headers: headers(options.headers), signal: options.signal, cache: 'no-store'};
  if (options.body !== undefined) {
    init.body = JSON.stringify(options.body);
    init.headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, {error: 'network_error', message: `The service did not answer (${e.message})`});
  }
  return readResponse(response);
}

export async function readResponse(response) {
  const text = await response.text();
  let body = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch (e) {
      body = {message: text.slice(0, 300)};
    }
  }
  if (!response.ok) {
    const err = new ApiError(response.status, body);
    if (response.status === 401) listeners.forEach(fn => fn(err));
    throw err;
  }
  if (body && typeof body === 'object') {
    Object.defineProperty(body, '$etag', {value: response.headers.get('ETag'), enumerable: false});
  }
  return body;
}

export const get = (path, query, signal) => request('GET', path, {query, signal});
export const post = (path, body, opts = {}) => request('POST', path, {...opts, body});
export const put = (path, body, opts = {}) => request('PUT', path, {...opts, body});

const enc = encodeURIComponent;
export const paths = {
  orchestrations: () => '/orchestrations',
  orchestration: id => `/orchestrations/${enc(id)}`,
  versions: id => `/orchestrations/${enc(id)}/versions`,
  version: (id, n) => `/orchestrations/${enc(id)}/versions/${enc(n)}`,
  trigger: id => `/orchestrations/${enc(id)}/trigger`,
  simulate: id => `/orchestrations/${enc(id)}/simulate`,
  scheduleNext: id => `/orchestrations/${enc(id)}/schedule/next`,
  runs: id => `/orchestrations/${enc(id)}/runs`,
  runsStream: id => `/orchestrations/${enc(id)}/runs/stream`,
  bulk: id => `/orchestrations/${enc(id)}/runs/bulk`,
  run: (id, runId) => `/orchestrations/${enc(id)}/runs/${enc(runId)}`,
  runStream: (id, runId) => `/orchestrations/${enc(id)}/runs/${enc(runId)}/stream`,
  runAction: (id, runId, action) => `/orchestrations/${enc(id)}/runs/${enc(runId)}/${action}`,
  workspaceRuns: () => '/runs',
  functions: () => '/functions',
  fn: id => `/functions/${enc(id)}`,
  workerQueues: () => '/worker-queues',
  bulkOperations: () => '/bulk-operations',
  bulkOperation: id => `/bulk-operations/${enc(id)}`,
};

/** Console endpoints outside the workspace API (zero-set-up sign-in). */
export async function devTokenAvailable() {
  try {
    const r = await fetch('/console/dev-token', {cache: 'no-store'});
    return r.status === 204;
  } catch (e) {
    return false;
  }
}

export async function devToken(workspace) {
  const r = await fetch('/console/dev-token', {
    method: 'POST', cache: 'no-store',
    headers: {'Content-Type': 'application/json', Accept: 'application/json'},
    body: JSON.stringify({workspace}),
  });
  return readResponse(r);
}
