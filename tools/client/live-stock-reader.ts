import { createParser } from 'eventsource-parser';
import type { LiveLevel } from '@stockade/api';

/**
 * Follows a live stock stream (GET /inventory/stream or /ops/stock-stream) as a program would:
 * each `level` event to `onLevel`, until `signal` aborts. Resolves once the response headers are
 * in (the stream is open); `done` settles when it ends.
 */
export async function followLiveStock(
  url: string,
  options: {
    readonly token?: string;
    readonly signal: AbortSignal;
    readonly onLevel: (level: LiveLevel, receivedAt: number) => void;
  },
): Promise<{ readonly status: number; readonly done: Promise<void> }> {
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
    signal: options.signal,
  });
  if (!response.ok || !response.body) return { status: response.status, done: response.text().then(() => undefined) };
  const parser = createParser({
    onEvent: (event) => {
      if (event.event === 'level') options.onLevel(JSON.parse(event.data) as LiveLevel, Date.now());
    },
  });
  const decoder = new TextDecoder();
  const body = response.body as unknown as AsyncIterable<Uint8Array>;
  const done = (async () => {
    try {
      for await (const chunk of body) parser.feed(decoder.decode(chunk, { stream: true }));
    } catch (error) {
      if (!options.signal.aborted) throw error;
    }
  })();
  return { status: response.status, done };
}
