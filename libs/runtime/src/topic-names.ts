import { TOPICS } from '@stockade/contracts';
import type { StockadeConfig } from './config';

export interface TopicNames {
  /** The deployment's name for a topic the code calls `logical`. */
  physical(logical: string): string;
  /** The code's name for a deployment topic: an explicit name's topic, else the name without the prefix (identity without one). */
  logical(physical: string): string;
}

/**
 * Topic names of a deployment: an explicit name from STOCKADE_TOPIC_NAMES (e.g. an upstream's
 * existing `shop.checkouts`) wins, otherwise STOCKADE_TOPIC_PREFIX + the default name.
 */
export function topicNames(config: Pick<StockadeConfig, 'STOCKADE_TOPIC_PREFIX' | 'STOCKADE_TOPIC_NAMES'>): TopicNames {
  const overrides = new Map(Object.entries(config.STOCKADE_TOPIC_NAMES));
  const physicalByLogical = new Map(
    Object.values(TOPICS).map((topic) => [
      topic as string,
      overrides.get(topic) ?? `${config.STOCKADE_TOPIC_PREFIX}${topic}`,
    ]),
  );
  const logicalByPhysical = new Map([...physicalByLogical].map(([logical, physical]) => [physical, logical]));
  return {
    physical: (logical) => physicalByLogical.get(logical) ?? `${config.STOCKADE_TOPIC_PREFIX}${logical}`,
    // Without the prefix also for topics not in TOPICS (a channel's checkout.requested.<channel>, ADR 0023), as physical() adds it to them.
    logical: (physical) =>
      logicalByPhysical.get(physical) ??
      (physical.startsWith(config.STOCKADE_TOPIC_PREFIX)
        ? physical.slice(config.STOCKADE_TOPIC_PREFIX.length)
        : physical),
  };
}
