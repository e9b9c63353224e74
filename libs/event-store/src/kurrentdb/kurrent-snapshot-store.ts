import { ANY, BACKWARDS, END, jsonEvent, type KurrentDBClient } from '@kurrent/kurrentdb-client';
import { lastSnapshotPerStream, type Snapshot, type SnapshotStore } from '../snapshot-store';
import { isStreamNotFound } from './kurrent-error-translation';
import type { KurrentStreamNames } from './kurrent-stream-names';

type SavedSnapshot = Omit<Snapshot, 'stream'>;

/**
 * Snapshots as events of a bookkeeping stream per port stream (`$stockade-snapshot-…`, a system
 * stream, so no read of $all by this store ever sees one); the last event is the snapshot, read
 * backwards one event. As with checkpoints, `$maxCount` is set to 1 on the first save, so
 * scavenging drops superseded snapshots.
 */
export class KurrentSnapshotStore implements SnapshotStore {
  constructor(
    private readonly client: KurrentDBClient,
    private readonly names: KurrentStreamNames,
  ) {}

  async load(stream: string): Promise<Snapshot | undefined> {
    try {
      for await (const resolved of this.client.readStream(this.names.snapshot(stream), {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: 1,
      })) {
        if (resolved.event) return { stream, ...(resolved.event.data as SavedSnapshot) };
      }
    } catch (error) {
      if (!isStreamNotFound(error)) throw error;
    }
    return undefined;
  }

  async save(snapshots: readonly Snapshot[]): Promise<void> {
    // Copied now (JSON round trip): the client serializes later, and the caller may change its objects meanwhile.
    const saves = lastSnapshotPerStream(snapshots).map(({ stream, state, ...rest }) => ({
      stored: this.names.snapshot(stream),
      data: { ...rest, state: JSON.parse(JSON.stringify(state)) as unknown },
    }));
    await Promise.all(
      saves.map(async ({ stored, data }) => {
        const saved = await this.client.appendToStream(stored, jsonEvent({ type: 'StockadeSnapshotSaved', data }), {
          streamState: ANY,
        });
        if (saved.nextExpectedRevision === 0n) await this.client.setStreamMetadata(stored, { maxCount: 1 });
      }),
    );
  }
}
