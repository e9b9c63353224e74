import { Consumer, IHeaders, Kafka } from 'kafkajs';

export interface RecordedMessage {
  readonly key: string;
  readonly value: string;
  readonly partition: number;
  readonly offset: string;
  readonly headers: Record<string, string>;
}

/** A plain kafkajs consumer collecting everything on one topic, as an upstream or an operator would. */
export class TopicRecorder {
  readonly messages: RecordedMessage[] = [];
  private consumer: Consumer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
    /** A group of its own by default; a principal held to its groups by ACLs names one it may use. */
    private readonly groupId = `recorder-${topic}-${Date.now()}`,
  ) {}

  async start(): Promise<void> {
    this.consumer = this.kafka.consumer({
      groupId: this.groupId,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      maxWaitTimeInMs: 200,
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ message, partition }) => {
        this.messages.push({
          key: message.key?.toString() ?? '',
          value: message.value?.toString() ?? '',
          partition,
          offset: message.offset,
          headers: headersOf(message.headers),
        });
      },
    });
  }

  async waitFor(
    accept: (messages: readonly RecordedMessage[]) => boolean,
    what: string,
    timeoutMs = 60_000,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!accept(this.messages)) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what} on ${this.topic} (have ${this.messages.length})`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

function headersOf(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).map(([name, value]) => [
      name,
      Array.isArray(value) ? String(value[0]) : String(value ?? ''),
    ]),
  );
}
