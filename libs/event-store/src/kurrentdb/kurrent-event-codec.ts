import type { EventData, JSONType } from '@kurrent/kurrentdb-client';
import { randomUUID } from 'node:crypto';
import type { EventMetadata, NewEvent, RecordedEvent } from '../event-store';

/**
 * How one port event is stored in KurrentDB.
 *
 * The data is the event's JSON. Everything else the port needs back exactly (our event id,
 * type, metadata, recordedAt) travels in one JSON string under the `stockade` metadata
 * property, for two reasons:
 * - multiStreamAppend accepts metadata only as a flat object of string values (the v2
 *   protocol's properties), and our metadata nests objects (trace, …);
 * - our ids are any string, but KurrentDB event ids must be UUIDs.
 *
 * Every stored record gets a fresh random KurrentDB id. KurrentDB's own idempotency (a
 * repeated id in the same stream is silently accepted once more without writing) would
 * otherwise turn a redelivery into a quiet success; with fresh ids it never triggers, and
 * duplicates are decided by the id claim streams alone (see planAppend).
 */
export const ENVELOPE_PROPERTY = 'stockade';

interface Envelope {
  readonly id: string;
  readonly type: string;
  readonly metadata: EventMetadata;
  readonly recordedAt: string;
  /** The store instance that wrote it, so its subscription can ignore its own appends. */
  readonly writer: string;
}

/** The parts of the client's recorded event we read (kept structural so tests can build one). */
export interface StoredRecord {
  readonly id: string;
  readonly type: string;
  readonly revision: bigint;
  readonly data: unknown;
  readonly metadata?: unknown;
  readonly created: Date;
}

export function encodeEvent(
  event: NewEvent,
  context: { readonly recordedAt: string; readonly writer: string },
): EventData {
  const envelope: Envelope = {
    id: event.id,
    type: event.type,
    metadata: event.metadata,
    recordedAt: context.recordedAt,
    writer: context.writer,
  };
  return {
    id: randomUUID(),
    contentType: 'application/json',
    type: event.type,
    // JSONType omits numbers, booleans and null, which are valid event data all the same.
    data: (event.data ?? null) as JSONType,
    metadata: { [ENVELOPE_PROPERTY]: JSON.stringify(envelope) },
  };
}

export function decodeEvent(
  record: StoredRecord,
  location: { readonly stream: string; readonly position: number },
): RecordedEvent {
  const envelope = envelopeOf(record.metadata);
  return {
    id: envelope?.id ?? record.id,
    type: envelope?.type ?? record.type,
    data: jsonOf(record.data),
    metadata: envelope?.metadata ?? ((jsonOf(record.metadata) ?? {}) as EventMetadata),
    stream: location.stream,
    version: Number(record.revision),
    position: location.position,
    recordedAt: envelope?.recordedAt ?? record.created.toISOString(),
  };
}

/** The store instance that wrote the record, if it was written by a Stockade store. */
export function writerOf(record: StoredRecord): string | undefined {
  return envelopeOf(record.metadata)?.writer;
}

function envelopeOf(metadata: unknown): Envelope | undefined {
  const properties = jsonOf(metadata);
  if (typeof properties !== 'object' || properties === null) return undefined;
  const text = (properties as Record<string, unknown>)[ENVELOPE_PROPERTY];
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text) as Envelope;
  } catch {
    return undefined;
  }
}

/** The client parses JSON itself, except for records it did not recognise as JSON (bytes). */
function jsonOf(value: unknown): unknown {
  if (!(value instanceof Uint8Array)) return value;
  const text = Buffer.from(value).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
