import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { KafkaMessageBusOptions } from '@stockade/messaging/kafka';

/** The child runs the compiled library, as the apps' crash tests do (tools/client/child-process-system.ts). */
const DIST = join(__dirname, '..', '..', '..', '..', 'dist');
const COMPILED = {
  nestBus: join(DIST, 'libs', 'nest-bus', 'src', 'index.js'),
  kafkaBus: join(DIST, 'libs', 'messaging', 'src', 'kafka', 'index.js'),
};
const CHILD_ENTRY = join(__dirname, 'holding-consumer.child.js');
/** Kills a child that a failed or interrupted test left behind. */
const CHILD_LIFETIME_MS = 120_000;

/** A message as the child's handler saw it (what its BusContext said). */
export interface HeldMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string;
  readonly value: string;
}

type ChildEvent = { event: 'listening' } | ({ event: 'received' } & HeldMessage);

export interface HoldingConsumerOptions {
  /** Passed to the child as JSON: only plain data (no clock, no onConsumerError). */
  readonly busOptions: KafkaMessageBusOptions;
  readonly topic: string;
  readonly groupId: string;
}

/**
 * A Nest microservice (MessageBusServer over KafkaMessageBus) in a child process whose one
 * handler reports each message and never finishes, so the test decides when it dies: SIGKILL,
 * with the message in flight and its offset uncommitted. See holding-consumer.child.js.
 */
export class HoldingConsumerProcess {
  private readonly events: ChildEvent[] = [];
  private output = '';

  private constructor(private readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      this.output += `${line}\n`;
      try {
        this.events.push(JSON.parse(line) as ChildEvent);
      } catch {
        // Not one of the child's events (a library writing to stdout): kept in the output only.
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  /** Resolves once the child's handler joined its consumer group. */
  static async start(options: HoldingConsumerOptions, timeoutMs = 30_000): Promise<HoldingConsumerProcess> {
    for (const file of Object.values(COMPILED)) {
      if (!existsSync(file)) throw new Error(`${file} is missing: run "npm run build" first (npm test does)`);
    }
    const argument = JSON.stringify({ modules: COMPILED, lifetimeMs: CHILD_LIFETIME_MS, ...options });
    const consumer = new HoldingConsumerProcess(
      spawn(process.execPath, [CHILD_ENTRY, argument], { stdio: ['pipe', 'pipe', 'pipe'] }),
    );
    try {
      await consumer.waitFor((event) => event.event === 'listening', 'the child consumer joined its group', timeoutMs);
    } catch (error) {
      await consumer.kill();
      throw error;
    }
    return consumer;
  }

  /** Resolves with the first message the child's handler got (and now holds). */
  async heldMessage(timeoutMs = 30_000): Promise<HeldMessage> {
    const { topic, partition, offset, key, value } = (await this.waitFor(
      (event) => event.event === 'received',
      'the child handler received a message',
      timeoutMs,
    )) as HeldMessage;
    return { topic, partition, offset, key, value };
  }

  /** SIGKILL, as a power cut or the OOM killer would: no shutdown hook, no commit, no LeaveGroup. Resolves with the signal it died of. */
  async kill(): Promise<NodeJS.Signals | null> {
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null) return child.signalCode;
    return new Promise((resolve) => {
      child.once('exit', (_code, signal) => resolve(signal));
      child.kill('SIGKILL');
    });
  }

  private async waitFor(
    matches: (event: ChildEvent) => boolean,
    description: string,
    timeoutMs: number,
  ): Promise<ChildEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(matches);
      if (found) return found;
      const exit = this.child.exitCode ?? this.child.signalCode;
      if (exit !== null) throw new Error(`the child consumer exited (${exit}) before ${description}:\n${this.output}`);
      if (Date.now() > deadline)
        throw new Error(`timed out waiting until ${description}; child output:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
