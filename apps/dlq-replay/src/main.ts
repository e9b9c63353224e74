import { Command } from 'commander';
import { escapeControlCharacters, systemClock } from '@stockade/kernel';
import {
  ConfigurationError,
  createLogger,
  loadConfig,
  openMessageBus,
  replayDeadLetters,
  topicNames,
} from '@stockade/runtime';

const program = new Command('stockade-dlq-replay')
  .description(
    'Lists the dead letters of a topic and publishes them back to it (on the bus the environment configures).',
  )
  .requiredOption('--topic <name>', 'the original topic, e.g. checkout.requested (its dead letters are in <topic>.dlq)')
  .option('--dry-run', 'only list them; a dry run reads in a throwaway consumer group')
  .option('--idle-ms <ms>', 'stop after this long without a dead letter', (v) => Number(v), 3000)
  .parse();

async function main(): Promise<void> {
  const options = program.opts<{ topic: string; dryRun?: boolean; idleMs: number }>();
  const config = loadConfig();
  const bus = await openMessageBus(
    config,
    'dlq-replay',
    systemClock,
    createLogger(config.STOCKADE_LOG_LEVEL, 'dlq-replay'),
  );
  try {
    const report = await replayDeadLetters(bus, {
      topic: options.topic,
      logicalTopic: topicNames(config).logical,
      dryRun: options.dryRun ?? false,
      idleMs: options.idleMs,
      log: console.log,
    });
    console.log(`${report.replayed} replayed, ${report.skipped} listed only`);
  } finally {
    await bus.close();
  }
}

main().catch((error: unknown) => {
  // A broker's or a handler's error text is data too: escaped like every line this tool prints.
  console.error(
    escapeControlCharacters(
      error instanceof ConfigurationError
        ? error.message
        : error instanceof Error
          ? (error.stack ?? error.message)
          : String(error),
    ),
  );
  process.exit(1);
});
