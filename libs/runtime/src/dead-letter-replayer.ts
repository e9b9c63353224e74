import { deadLetterTopic } from '@stockade/contracts';
import { escapeControlCharacters } from '@stockade/kernel';
import { DLQ_HEADERS, IncomingMessage, MessageBus, replayOfDeadLetter } from '@stockade/messaging';

export interface ReplayReport {
  readonly replayed: number;
  readonly skipped: number;
}

/**
 * Operator tool: reads `<topic>.dlq` in its own consumer group (so each dead letter is handled
 * once), prints why each one failed, and publishes it back to its original topic unless
 * `dryRun`. Stops after `idleMs` without a new dead letter. Fix the cause first: a replayed
 * message that fails again lands in the dead-letter topic again, with fresh headers.
 */
export async function replayDeadLetters(
  bus: MessageBus,
  options: {
    topic: string;
    logicalTopic: (physical: string) => string;
    dryRun: boolean;
    idleMs: number;
    groupId?: string;
    log: (line: string) => void;
  },
): Promise<ReplayReport> {
  let replayed = 0;
  let skipped = 0;
  let lastActivity = Date.now();
  const handle = async (message: IncomingMessage) => {
    lastActivity = Date.now();
    const origin = `${message.headers[DLQ_HEADERS.originalTopic]}[${message.headers[DLQ_HEADERS.originalPartition]}]@${message.headers[DLQ_HEADERS.originalOffset]}`;
    // Keys and headers are whatever a producer wrote: printed with their control characters escaped, never raw to a terminal.
    options.log(
      escapeControlCharacters(
        `${origin} key=${message.key} attempts=${message.headers[DLQ_HEADERS.attempts]} error=${message.headers[DLQ_HEADERS.error]}`,
      ),
    );
    if (options.dryRun) return void skipped++;
    let replay;
    try {
      replay = replayOfDeadLetter(message);
    } catch (error) {
      options.log(`  not replayable: ${escapeControlCharacters((error as Error).message)}`);
      return void skipped++;
    }
    // The header names the physical topic; the bus in hand maps logical names to the deployment's own.
    await bus.publish(options.logicalTopic(replay.topic), [replay.message]);
    replayed++;
  };
  const subscription = await bus.subscribe({
    groupId: options.groupId ?? `dlq-replay-${options.dryRun ? `dry-${Date.now()}` : 'operator'}`,
    topics: [deadLetterTopic(options.topic)],
    fromBeginning: true,
    concurrency: 1,
    maxAttempts: 3,
    handler: handle,
  });
  while (Date.now() - lastActivity < options.idleMs) await new Promise((resolve) => setTimeout(resolve, 100));
  await subscription.close();
  return { replayed, skipped };
}
