import { ValidationError } from '@stockade/kernel';
import { DLQ_HEADERS } from './message-bus';
import type { Headers, IncomingMessage, OutgoingMessage } from './message-bus';
import type { DeadLetterMessage } from './dead-letter-source';
import type { OriginalBytes } from './log/message-log';
import type { RawRecord } from './raw-publisher';

const DEAD_LETTER_HEADER_NAMES: ReadonlySet<string> = new Set(Object.values(DLQ_HEADERS));

export interface DeadLetterReplay {
  readonly topic: string;
  readonly message: OutgoingMessage;
}

/**
 * How an operator replays a dead letter: publish it back to its original topic with its
 * original key, value and headers (the x-dlq-* headers dropped, so a second failure is
 * described afresh). `bus.publish(replay.topic, [replay.message])`.
 * Works for every adapter, since it relies only on the DLQ_HEADERS contract.
 */
export function replayOfDeadLetter(deadLetter: IncomingMessage): DeadLetterReplay {
  const topic = deadLetter.headers[DLQ_HEADERS.originalTopic];
  if (!topic)
    throw new ValidationError([
      { field: `headers.${DLQ_HEADERS.originalTopic}`, message: 'missing: not a dead letter' },
    ]);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(deadLetter.headers))
    if (!DEAD_LETTER_HEADER_NAMES.has(name)) headers[name] = value;
  return { topic, message: { key: deadLetter.key, value: parseValue(deadLetter.value), headers: headers as Headers } };
}

/**
 * The same replay as bytes: key, value and headers exactly as the dead letter holds them (which is
 * exactly what was first sent), less the dead-letter headers. For a bus that can publish bytes.
 */
export function rawReplayOfDeadLetter(deadLetter: DeadLetterMessage & { readonly original: OriginalBytes }): {
  topic: string;
  record: RawRecord;
} {
  const topic = deadLetter.headers[DLQ_HEADERS.originalTopic];
  if (!topic)
    throw new ValidationError([
      { field: `headers.${DLQ_HEADERS.originalTopic}`, message: 'missing: not a dead letter' },
    ]);
  const headers = Object.fromEntries(
    Object.entries(deadLetter.original.headers).filter(([name]) => !DEAD_LETTER_HEADER_NAMES.has(name)),
  );
  return { topic, record: { key: deadLetter.original.key, value: deadLetter.original.value, headers } };
}

function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    // publish() serialises values to JSON; a payload that is not JSON cannot round-trip through it.
    throw new ValidationError([
      { field: 'value', message: 'not JSON: replay it with a producer that writes raw bytes' },
    ]);
  }
}
