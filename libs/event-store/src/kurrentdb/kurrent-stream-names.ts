import { ValidationError } from '@stockade/kernel';

/** A server-side stream-name filter for $all reads and subscriptions (streamNameFilter options). */
export type StreamNameFilterOptions = { readonly prefixes: string[] } | { readonly regex: string };

/**
 * Where the port's streams live in KurrentDB, and where our bookkeeping lives.
 *
 * - A port stream `s` is stored as `<prefix>s`. The prefix namespaces one store inside a
 *   shared database (each test spec file gets a random one), and every read of $all is
 *   filtered to it, so stores with different prefixes never see each other's events.
 * - Bookkeeping streams start with `$stockade-`. KurrentDB treats `$` streams as system
 *   streams: filters that exclude system streams (ours included) never show them, and a
 *   port stream can never collide with them because port streams may not start with `$`.
 *   The price: with ACLs enabled, the connecting user must be allowed to write `$` streams
 *   (a member of `$admins`, or granted by `$systemStreamAcl`).
 */
export class KurrentStreamNames {
  static readonly BOOKKEEPING_PREFIX = '$stockade-';

  constructor(readonly prefix: string) {
    if (prefix.startsWith('$')) {
      throw new ValidationError([
        { field: 'streamPrefix', message: 'must not start with $ (KurrentDB system streams)' },
      ]);
    }
  }

  stored(stream: string): string {
    const stored = `${this.prefix}${stream}`;
    if (stored.startsWith('$')) {
      throw new ValidationError([
        { field: 'stream', message: `${stream} starts with $, which KurrentDB reserves for system streams` },
      ]);
    }
    return stored;
  }

  /** The port's name for a stored stream, or undefined when it is not one of this store's streams. */
  portName(stored: string): string | undefined {
    if (stored.startsWith('$') || !stored.startsWith(this.prefix)) return undefined;
    return stored.slice(this.prefix.length);
  }

  /** One stream per event id; appending to it with NO_STREAM is how an id is claimed (see planAppend). */
  eventIdClaim(eventId: string): string {
    return `${KurrentStreamNames.BOOKKEEPING_PREFIX}event-id-${this.prefix}${eventId}`;
  }

  checkpoint(name: string): string {
    return `${KurrentStreamNames.BOOKKEEPING_PREFIX}checkpoint-${this.prefix}${name}`;
  }

  /** Where a port stream's snapshots go; the last event is the snapshot (see KurrentSnapshotStore). */
  snapshot(stream: string): string {
    return `${KurrentStreamNames.BOOKKEEPING_PREFIX}snapshot-${this.prefix}${stream}`;
  }

  /**
   * The server-side filter for this store's streams, narrowed to `streamPrefixes` when given.
   * KurrentDB's prefix filter is a case-sensitive StartsWith, as the port requires; without a
   * store prefix and without stream prefixes, a regex keeps everything but system streams.
   * Callers still check portName() and the prefixes on each event, so the filter is an
   * optimisation, never what correctness rests on.
   */
  filter(streamPrefixes?: readonly string[]): StreamNameFilterOptions {
    const prefixes = (streamPrefixes ?? ['']).map((prefix) => `${this.prefix}${prefix}`);
    if (prefixes.includes('')) return { regex: '^[^$]' };
    return { prefixes };
  }
}
