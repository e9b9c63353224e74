import { createParser, EventSourceMessage } from 'eventsource-parser';

/** Exit codes a script can rely on (documented in `stockade --help`). */
export const EXIT = {
  ok: 0,
  found: 1,
  usage: 2,
  notFound: 3,
  unauthorized: 4,
  unavailable: 5,
  interrupted: 130,
} as const;

export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** The operator surface over HTTP: errors become CliFailures with the exit code they mean. */
export class OpsClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string | undefined,
  ) {}

  async json<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const response = await this.send(method, path, body, { accept: 'application/json' }, signal);
    return (await response.json()) as T;
  }

  /** Server-Sent Events of a request, handed one by one to `onEvent` until the stream ends or `signal` aborts. */
  async stream(
    method: string,
    path: string,
    body: unknown,
    onEvent: (event: EventSourceMessage) => void,
    signal: AbortSignal,
    lastEventId?: string,
  ): Promise<void> {
    const response = await this.send(
      method,
      path,
      body,
      { accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
      signal,
    );
    const parser = createParser({ onEvent });
    const decoder = new TextDecoder();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>)
      parser.feed(decoder.decode(chunk, { stream: true }));
  }

  private async send(
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        // Every state-changing call says JSON, a body or not: the server refuses one that does not (CSRF-safe rule).
        headers: {
          ...headers,
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
          ...(method === 'GET' ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (signal?.aborted) throw new CliFailure('interrupted', EXIT.interrupted);
      throw new CliFailure(
        `cannot reach Stockade at ${this.baseUrl} (${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message})`,
        EXIT.unavailable,
      );
    }
    if (response.ok) return response;
    const text = await response.text();
    let message = text;
    try {
      const parsed = JSON.parse(text) as { message?: string };
      message = parsed.message ?? text;
    } catch {
      // not JSON: the text is the message
    }
    if (response.status === 401 || response.status === 403)
      throw new CliFailure(`not allowed (${message}): set STOCKADE_OPERATOR_TOKEN or --token`, EXIT.unauthorized);
    if (response.status === 404) throw new CliFailure(message, EXIT.notFound);
    if (response.status === 400) throw new CliFailure(message, EXIT.usage);
    throw new CliFailure(`${this.baseUrl} answered ${response.status}: ${message}`, EXIT.unavailable);
  }
}
