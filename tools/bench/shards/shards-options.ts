import { Command, InvalidArgumentError } from 'commander';
import { wholeNumber } from '../../client/cli-numbers';
import { KAFKA_BROKERS, POSTGRES_URL } from '../../client/distributed-stack';

export interface ShardsBenchOptions {
  readonly instances: number[];
  readonly shards: number;
  readonly spans: number[];
  readonly checkouts: number;
  readonly warmUp: number;
  readonly repeat: number;
  readonly batch: number;
  readonly skusPerShard: number;
  readonly stallSeconds: number;
  readonly pgUrl: string;
  readonly kafkaBrokers: string;
  readonly out?: string;
}

const positive = wholeNumber(1);

const positiveList = (value: string): number[] => {
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  if (items.length === 0) throw new InvalidArgumentError('expected a comma-separated list of whole numbers ≥ 1');
  return [...new Set(items.map(positive))];
};

export const shardsProgram = new Command('bench-shards')
  .description(
    'Sharded inventory (ADR 0020) on real Kafka and PostgreSQL: for each number of inventory-service processes, a fresh distributed stack; ' +
      'in it, for each shards-per-checkout, checkouts published over Kafka as fast as they go, every one of which must complete. ' +
      'Prints the median per cell as a Markdown table; --out writes every run as JSON.',
  )
  .option('--instances <list>', 'inventory-service processes per stack, one stack each', positiveList, [1, 2, 3])
  .option('--shards <n>', 'STOCKADE_INVENTORY_SHARDS, and the partitions of every topic', positive, 6)
  .option('--spans <list>', 'shards each checkout of a run spans (one line per shard)', positiveList, [1, 2, 3])
  .option('--checkouts <n>', 'measured checkouts per run', positive, 3000)
  .option(
    '--warm-up <n>',
    'checkouts before each run, awaited and not measured; they also prove every shard answers',
    positive,
    200,
  )
  .option(
    '--repeat <n>',
    'rounds over the spans, alternately forward and backward; the table shows the median',
    positive,
    2,
  )
  .option('--batch <n>', 'checkouts per produce request (two requests in flight)', positive, 500)
  .option('--skus-per-shard <n>', 'SKUs on each shard that the checkouts take in turn', positive, 16)
  .option('--stall-seconds <s>', 'fail a run after this long without a new outcome', positive, 60)
  .option('--pg-url <url>', 'PostgreSQL of the services', POSTGRES_URL)
  .option('--kafka-brokers <list>', 'the Kafka brokers (default: $KAFKA_BROKERS)', KAFKA_BROKERS)
  .option('--out <dir>', 'write <date>-<commit>-inventory-shards.json with every run here');

export function parseShardsOptions(argv: readonly string[] = process.argv): ShardsBenchOptions {
  const options = shardsProgram.parse([...argv]).opts<ShardsBenchOptions>();
  const tooWide = options.spans.filter((spans) => spans > options.shards);
  if (tooWide.length)
    shardsProgram.error(`--spans ${tooWide.join(',')}: a checkout can span at most --shards ${options.shards} shards`);
  return options;
}
