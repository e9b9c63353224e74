import type { LogRecord, MessageLog, OffsetCommit, StoredMessage } from '../log/message-log';

/** A MessageLog in the process's memory: nothing survives the process, nothing is trimmed. */
export class InMemoryMessageLog implements MessageLog {
  private readonly partitions = new Map<string, StoredMessage[]>();
  private readonly offsets = new Map<string, number>();

  async append(topic: string, records: readonly LogRecord[]): Promise<void> {
    for (const record of records) {
      const partition = this.partition(topic, record.partition);
      partition.push({ ...record, topic, offset: partition.length });
    }
  }

  async read(topic: string, partition: number, fromOffset: number, limit: number): Promise<StoredMessage[]> {
    return this.partition(topic, partition).slice(fromOffset, fromOffset + limit);
  }

  async topics(): Promise<string[]> {
    const topics = new Set<string>();
    for (const messages of this.partitions.values()) if (messages[0]) topics.add(messages[0].topic);
    return [...topics].sort();
  }

  async endOffset(topic: string, partition: number): Promise<number> {
    return this.partition(topic, partition).length;
  }

  async committedOffset(groupId: string, topic: string, partition: number): Promise<number | undefined> {
    return this.offsets.get(offsetKey(groupId, topic, partition));
  }

  async commit(groupId: string, commits: readonly OffsetCommit[]): Promise<void> {
    for (const { topic, partition, offset } of commits) this.offsets.set(offsetKey(groupId, topic, partition), offset);
  }

  async close(): Promise<void> {}

  private partition(topic: string, partition: number): StoredMessage[] {
    const id = `${topic}\u0000${partition}`;
    let messages = this.partitions.get(id);
    if (!messages) {
      messages = [];
      this.partitions.set(id, messages);
    }
    return messages;
  }
}

function offsetKey(groupId: string, topic: string, partition: number): string {
  return `${groupId}\u0000${topic}\u0000${partition}`;
}
