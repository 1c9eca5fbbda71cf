// HTTP access to /api/v1: JSON in and out, the API key (once typed in) on every request (writes need it, reads too
// when the server protects them), problem details turned into Error messages.
const KEY_STORE = 'genserve.apiKey';

export function apiKey() { return sessionStorage.getItem(KEY_STORE) || ''; }
export function setApiKey(key) { sessionStorage.setItem(KEY_STORE, key); }

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem && problem.detail ? `${status}: ${problem.detail}` : `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export async function api(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (apiKey()) headers['X-API-Key'] = apiKey();
  const response = await fetch('/api/v1' + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/**
 * Follows a job: server-sent events when possible, polling otherwise (also when the stream is refused: EventSource
 * cannot send the API key that protected reads need); onUpdate gets each job state.
 */
export function followJob(id, onUpdate) {
  let closed = false;
  let timer = null;
  const poll = async () => {
    if (closed) return;
    try {
      const job = await api(`/jobs/${id}`);
      onUpdate(job);
      if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(job.status)) return;
    } catch (e) { /* try again */ }
    timer = setTimeout(poll, 1000);
  };
  let source = null;
  if (window.EventSource) {
    source = new EventSource(`/api/v1/jobs/${id}/events`);
    source.addEventListener('progress', e => onUpdate(JSON.parse(e.data)));
    source.addEventListener('end', () => source.close());
    source.onerror = () => { if (source.readyState === EventSource.CLOSED && !closed) { source = null; poll(); } };
  } else {
    poll();
  }
  return () => { closed = true; if (source) source.close(); clearTimeout(timer); };
}
