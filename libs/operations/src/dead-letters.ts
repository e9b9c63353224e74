import { randomUUID } from 'node:crypto';
import { EventStore, ExpectedVersionConflict, RecordedEvent } from '@stockade/event-store';
import { isDeadLetterTopic } from '@stockade/contracts';
import type { Clock } from '@stockade/kernel';
import {
  canPublishRaw,
  DeadLetterMessage,
  DeadLetterSource,
  DLQ_HEADERS,
  IncomingMessage,
  MessageBus,
  rawReplayOfDeadLetter,
  replayOfDeadLetter,
} from '@stockade/messaging';
import type { DeadLetter, DeadLetterSummary, ReplayResult } from './operations-contract';
import type { DeadLetterOperations } from './operations-ports';
import { redactedJsonText } from './secret-redaction';

export interface DeadLetterDependencies {
  readonly source: DeadLetterSource;
  readonly bus: MessageBus;
  /** Where replays are recorded (one stream per dead letter). */
  readonly records: EventStore;
  readonly clock: Clock;
  /** The bus's name for a topic a dead letter's header names (deployments may prefix topics). */
  readonly logicalTopic?: (physical: string) => string;
}

export const REPLAY_STREAM_PREFIX = 'dlq-replay-';
const replayStream = (id: string) => `${REPLAY_STREAM_PREFIX}${id}`;

/** A dead letter's id: `<dlq topic>:<partition>:<offset>`. */
const idOf = (message: IncomingMessage) => `${message.topic}:${message.partition}:${message.offset}`;

/** Only ids in a dead-letter topic: `payment.commands:0:5` names a live message, which these routes never read or replay. */
function parseId(id: string): { topic: string; partition: number; offset: string } | undefined {
  const match = /^(.+):(\d+):(\d+)$/.exec(id);
  if (!match || !isDeadLetterTopic(match[1] as string)) return undefined;
  return { topic: match[1] as string, partition: Number(match[2]), offset: match[3] as string };
}

type ReplayRecord = { readonly by: string; readonly at: string; readonly failed?: string };

/**
 * The dead letters for operators. Listing reads without consuming. A replay is recorded BEFORE
 * it is published, in a stream of its own per dead letter that must not exist yet: of two
 * operators replaying the same letter at once, one appends and publishes, the other is told
 * who did. If the publish then fails, a second event records that, and the letter may be
 * replayed again. A crash between the record and the publish leaves it recorded as replayed
 * but not published: its story shows no later event downstream, and `apps/dlq-replay` can
 * republish it; at most once was chosen over a possible double delivery to the services.
 */
export function createDeadLetterOperations(deps: DeadLetterDependencies): DeadLetterOperations {
  const logical = deps.logicalTopic ?? ((topic: string) => topic);

  const lettersOf = async (topic?: string): Promise<IncomingMessage[]> => {
    // The HTTP queries refuse a live topic already (400 naming topic); a library caller gets nothing from one.
    if (topic !== undefined && !isDeadLetterTopic(topic)) return [];
    const topics = topic ? [topic] : await deps.source.deadLetterTopics();
    return (await Promise.all(topics.map((name) => deps.source.readDeadLetters(name)))).flat();
  };

  const replayRecords = async (): Promise<Map<string, ReplayRecord>> => {
    const records = new Map<string, ReplayRecord>();
    for (let after = 0; ;) {
      const page = await deps.records.readAll({ after, limit: 1_000, streamPrefixes: [REPLAY_STREAM_PREFIX] });
      if (page.length === 0) break;
      for (const event of page)
        records.set(
          event.stream.slice(REPLAY_STREAM_PREFIX.length),
          recordOf(event, records.get(event.stream.slice(REPLAY_STREAM_PREFIX.length))),
        );
      after = (page.at(-1) as RecordedEvent).position;
    }
    return records;
  };

  const find = async (id: string): Promise<IncomingMessage | undefined> => {
    const parsed = parseId(id);
    if (!parsed) return undefined;
    return (await deps.source.readDeadLetters(parsed.topic)).find(
      (message) => message.partition === parsed.partition && message.offset === parsed.offset,
    );
  };

  const replay = async (message: IncomingMessage, by: string): Promise<ReplayResult> => {
    const id = idOf(message);
    const stream = replayStream(id);
    const at = deps.clock.now().toISOString();
    const history = await deps.records.readStream(stream);
    const last = history.reduce<ReplayRecord | undefined>((record, event) => recordOf(event, record), undefined);
    if (last && !last.failed) return { id, outcome: 'already-replayed', by: last.by, at: last.at };
    try {
      await deps.records.appendToStream(
        stream,
        [
          {
            id: randomUUID(),
            type: 'DeadLetterReplayed',
            data: { id, by, at, topic: message.topic },
            metadata: { correlationId: id, causationId: id, occurredAt: at },
          },
        ],
        {
          expectedVersion: history.length === 0 ? 'no_stream' : history.length - 1,
        },
      );
    } catch (error) {
      if (!(error instanceof ExpectedVersionConflict)) throw error;
      const winner = (await deps.records.readStream(stream)).reduce<ReplayRecord | undefined>(
        (record, event) => recordOf(event, record),
        undefined,
      );
      return { id, outcome: 'already-replayed', ...(winner ? { by: winner.by, at: winner.at } : {}) };
    }
    try {
      // From a broker, the exact bytes go back (they may be neither UTF-8 nor JSON); elsewhere, the JSON it was.
      const letter = message as DeadLetterMessage;
      if (letter.original && canPublishRaw(deps.bus)) {
        const { topic, record } = rawReplayOfDeadLetter({ ...letter, original: letter.original });
        await deps.bus.publishRaw(logical(topic), [record]);
      } else {
        const { topic, message: outgoing } = replayOfDeadLetter(message);
        await deps.bus.publish(logical(topic), [outgoing]);
      }
      return { id, outcome: 'replayed', by, at };
    } catch (error) {
      const reason = (error as Error).message;
      await deps.records.appendToStream(
        stream,
        [
          {
            id: randomUUID(),
            type: 'DeadLetterReplayFailed',
            data: { id, by, at, error: reason },
            metadata: { correlationId: id, causationId: id, occurredAt: at },
          },
        ],
        {
          expectedVersion: history.length,
        },
      );
      return { id, outcome: 'failed', by, at, error: reason };
    }
  };

  return {
    deadLetters: async ({ topic }) => {
      const records = await replayRecords();
      return (await lettersOf(topic)).map((message) => summaryOf(message, records.get(idOf(message))));
    },
    deadLetter: async (id) => {
      const message = await find(id);
      if (!message) return undefined;
      const record = (await deps.records.readStream(replayStream(id))).reduce<ReplayRecord | undefined>(
        (current, event) => recordOf(event, current),
        undefined,
      );
      return detailOf(message, record);
    },
    replayDeadLetter: async (id, by) => {
      const message = await find(id);
      return message ? replay(message, by) : { id, outcome: 'failed', error: `unknown dead letter ${id}` };
    },
    replayDeadLetters: async ({ topic, by }) => {
      const records = await replayRecords();
      const waiting = (await lettersOf(topic)).filter((message) => {
        const record = records.get(idOf(message));
        return !record || record.failed !== undefined;
      });
      const results: ReplayResult[] = [];
      for (const message of waiting) results.push(await replay(message, by));
      return results;
    },
  };
}

function recordOf(event: RecordedEvent, before: ReplayRecord | undefined): ReplayRecord {
  const data = event.data as { by: string; at: string; error?: string };
  return event.type === 'DeadLetterReplayFailed'
    ? { by: before?.by ?? data.by, at: data.at, failed: data.error ?? 'failed' }
    : { by: data.by, at: data.at };
}

function summaryOf(message: IncomingMessage, record: ReplayRecord | undefined): DeadLetterSummary {
  const header = (name: string) => message.headers[name];
  const attempts = Number(header(DLQ_HEADERS.attempts));
  const originalPartition = Number(header(DLQ_HEADERS.originalPartition));
  return {
    id: idOf(message),
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    originalTopic: header(DLQ_HEADERS.originalTopic) ?? '(unknown)',
    ...(Number.isInteger(originalPartition) && header(DLQ_HEADERS.originalPartition) !== undefined
      ? { originalPartition }
      : {}),
    ...(header(DLQ_HEADERS.originalOffset) ? { originalOffset: header(DLQ_HEADERS.originalOffset) as string } : {}),
    key: message.key,
    error: header(DLQ_HEADERS.error) ?? '(no reason recorded)',
    ...(Number.isInteger(attempts) && header(DLQ_HEADERS.attempts) !== undefined ? { attempts } : {}),
    ...(header(DLQ_HEADERS.failedAt) ? { failedAt: header(DLQ_HEADERS.failedAt) as string } : {}),
    ...(record && !record.failed ? { replayed: { by: record.by, at: record.at } } : {}),
  };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The letter as operators see it, byte for byte, unless it is JSON holding payment tokens or
 * references: then both forms (text and base64) show it with them redacted. A replay still sends
 * the stored bytes.
 */
function detailOf(message: DeadLetterMessage, record: ReplayRecord | undefined): DeadLetter {
  const bytes = message.valueBytes ? Buffer.from(message.valueBytes) : Buffer.from(message.value, 'utf8');
  let text: string | undefined;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    text = undefined; // not UTF-8: the base64 is the only faithful form
  }
  const redacted = text === undefined ? undefined : redactedJsonText(text);
  const shown = redacted ?? text;
  return {
    ...summaryOf(message, record),
    valueBase64: redacted === undefined ? bytes.toString('base64') : Buffer.from(redacted, 'utf8').toString('base64'),
    ...(shown === undefined ? {} : { valueText: shown }),
    headers: { ...message.headers },
  };
}
