import type { Progress } from '@stockade/operations';
import { errorResponseFor, OpenEventStreams, ServerSentEvents, StreamingReply } from '@stockade/api';

/** Progress events of long work are sent at most this often: a bar needs no more. */
const PROGRESS_INTERVAL_MS = 100;

/**
 * Long operator work (check, rebuild) as Server-Sent Events: `progress` events (throttled, the
 * last one always sent), then one `report` event, or an `error` event. The client closing the
 * connection aborts the work's signal, so it stops between items.
 */
export async function streamLongWork<Report>(
  reply: StreamingReply,
  streams: OpenEventStreams,
  work: (signal: AbortSignal, onProgress: (progress: Progress) => void) => Promise<Report>,
): Promise<undefined> {
  const events = new ServerSentEvents(reply, streams);
  let lastProgressAt = 0;
  const onProgress = (progress: Progress) => {
    const now = Date.now();
    if (now - lastProgressAt < PROGRESS_INTERVAL_MS && progress.done !== progress.total) return;
    lastProgressAt = now;
    void events.send('progress', progress);
  };
  try {
    await events.send('report', await work(events.closed, onProgress));
  } catch (error) {
    if (!events.closed.aborted) await events.send('error', errorResponseFor(error).body);
  } finally {
    events.end();
  }
  return undefined;
}
