// The pages' only way to the API: fetch, same origin, JSON in and out. Server-Sent Events are
// read over fetch too (not EventSource), so the operator token travels in the Authorization
// header and never in a URL, where it would end up in logs and browser history.

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `the server answered ${status}`);
    this.status = status;
    this.body = body;
  }

  /** "lines.0.quantity: must be at least 1" for each field the server named, or the message. */
  get details() {
    const issues = this.body?.issues ?? [];
    return issues.length > 0 ? issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ') : this.message;
  }
}

export async function api(path, { token, method = 'GET', body } = {}) {
  const headers = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  // Every state-changing call says JSON, a body or not: the server refuses one that does not, so a
  // cross-site form can change nothing (the CSRF-safe rule).
  if (method !== 'GET') headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const parsed = text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
  if (!response.ok)
    throw new ApiError(response.status, typeof parsed === 'object' ? parsed : { message: parsed || undefined });
  return parsed;
}

/**
 * Follows a Server-Sent Events stream until `close()`: each event to `onEvent({ event, data, id })`,
 * `onState('live' | 'reconnecting' | 'refused')` as the connection comes and goes. Reconnects with
 * backoff (up to 10 s); a resumable stream continues after the last event id it saw.
 */
export function followEvents(path, { token, onEvent, onState = () => {} }) {
  const aborter = new AbortController();
  let lastEventId;
  let delayMs = 500;

  const connect = async () => {
    while (!aborter.signal.aborted) {
      try {
        const headers = { accept: 'text/event-stream' };
        if (token) headers.authorization = `Bearer ${token}`;
        if (lastEventId) headers['last-event-id'] = lastEventId;
        const response = await fetch(path, { headers, signal: aborter.signal });
        if (response.status === 401 || response.status === 400) {
          onState('refused');
          return;
        }
        if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
        onState('live');
        delayMs = 500;
        await readEvents(response.body, (event) => {
          if (event.id) lastEventId = event.id;
          onEvent(event);
        });
      } catch {
        if (aborter.signal.aborted) return;
      }
      onState('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      delayMs = Math.min(delayMs * 2, 10_000);
    }
  };
  void connect();
  return { close: () => aborter.abort() };
}

/** The text/event-stream format: events separated by a blank line, `field: value` lines, comments start with ':'. */
async function readEvents(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let boundary;
    while ((boundary = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      const event = { event: 'message', data: '', id: undefined };
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const fieldValue = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event.event = fieldValue;
        else if (field === 'data') data.push(fieldValue);
        else if (field === 'id') event.id = fieldValue;
      }
      if (data.length > 0) onEvent({ ...event, data: data.join('\n') });
    }
  }
}
