import { Client } from 'pg';
import type { DistributedStack } from '../../client/distributed-stack';

/** What the system wrote so far: messages per topic (logical name), events per service store, PostgreSQL commits. */
export interface Traffic {
  readonly messages: Readonly<Record<string, number>>;
  readonly events: { readonly inventory: number; readonly ordering: number };
  /** Transactions committed in the whole database (the services', and the little the bench reads). */
  readonly commits: number;
}

/**
 * Reads the broker's end offsets of the stack's topics and the stores' heads, so a run can say what
 * the broker and PostgreSQL had to carry per checkout: the load a deployment must size them for.
 */
export async function readTraffic(stack: DistributedStack, pgUrl: string): Promise<Traffic> {
  const admin = stack.kafka.admin();
  await admin.connect();
  const messages: Record<string, number> = {};
  try {
    const topics = (await admin.listTopics()).filter(
      (topic) => topic.startsWith(stack.topicPrefix) || topic === stack.upstreamTopic,
    );
    for (const topic of topics) {
      const offsets = await admin.fetchTopicOffsets(topic);
      const logical = topic === stack.upstreamTopic ? 'checkout.requested' : topic.slice(stack.topicPrefix.length);
      messages[logical] = offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
    }
  } finally {
    await admin.disconnect();
  }
  const pg = new Client({ connectionString: pgUrl });
  await pg.connect();
  try {
    const head = async (schema: string) =>
      Number(
        (await pg.query<{ head: string }>(`SELECT coalesce(max(position), 0)::text AS head FROM ${schema}.events`))
          .rows[0]?.head ?? 0,
      );
    const commits = Number(
      (
        await pg.query<{ commits: string }>(
          'SELECT xact_commit::text AS commits FROM pg_stat_database WHERE datname = current_database()',
        )
      ).rows[0]?.commits ?? 0,
    );
    return {
      messages,
      events: { inventory: await head(stack.schemas.inventory), ordering: await head(stack.schemas.ordering) },
      commits,
    };
  } finally {
    await pg.end();
  }
}

/** Per checkout between two readings; topics that carried nothing are left out. */
export function trafficPerCheckout(before: Traffic, after: Traffic, checkouts: number): Traffic {
  const per = (count: number) => Math.round((count / checkouts) * 100) / 100;
  const messages: Record<string, number> = {};
  for (const [topic, count] of Object.entries(after.messages)) {
    const carried = count - (before.messages[topic] ?? 0);
    if (carried > 0) messages[topic] = per(carried);
  }
  return {
    messages,
    events: {
      inventory: per(after.events.inventory - before.events.inventory),
      ordering: per(after.events.ordering - before.events.ordering),
    },
    commits: per(after.commits - before.commits),
  };
}
