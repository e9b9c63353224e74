import { z } from 'zod';
import { isDeadLetterTopic } from './messages';

/**
 * Requests of the operator surface (`/ops/*`). The answers are described in
 * libs/operations/src/operations-contract.ts.
 */

const Identifier = z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

/** `?olderThanMs=30000`: orders not terminal and older than this (default 30 s). */
export const StuckOrdersQuery = z.object({
  olderThanMs: z.coerce
    .number()
    .int('must be a whole number of milliseconds')
    .min(0, 'must not be negative')
    .max(365 * 24 * 3600_000)
    .default(30_000),
});

/** `?movements=20`: how many of the last movements to show (default 20, at most 1,000). */
export const StockStoryQuery = z.object({
  movements: z.coerce
    .number()
    .int('must be a whole number')
    .min(0, 'must not be negative')
    .max(1_000, 'must be at most 1000')
    .default(20),
});

export const CheckRequest = z.object({ repair: z.boolean().default(false) }).strict();

/**
 * The event feed's query. `from` is a cursor (`orders:<n>,inventory:<n>`), an ISO-8601 time or
 * `now`; `type` a comma-separated list of event types.
 */
export const EventFeedQuery = z.object({
  from: z.string().min(1, 'must not be empty').optional(),
  stream: Identifier.optional(),
  sku: Identifier.optional(),
  order: Identifier.optional(),
  correlation: Identifier.optional(),
  type: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9]*(,[A-Za-z][A-Za-z0-9]*)*$/, 'must be event type names separated by commas')
    .optional(),
  limit: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(1_000, 'must be at most 1000')
    .default(200),
});

/** Only a dead-letter topic (`<topic>.dlq`): these routes must never read or replay a live topic (payment commands, say). */
const DeadLetterTopic = Identifier.refine(isDeadLetterTopic, 'must be a dead-letter topic (<topic>.dlq)');

export const DeadLetterListQuery = z.object({ topic: DeadLetterTopic.optional() });

/** Who replays: recorded with the replay (the operator token does not say who holds it). */
export const DeadLetterReplayRequest = z.object({ by: Identifier }).strict();

export const DeadLetterBulkReplayRequest = z.object({ by: Identifier, topic: DeadLetterTopic.optional() }).strict();
