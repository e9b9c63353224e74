import { createInterface } from 'node:readline/promises';
import { SingleBar } from 'cli-progress';
import { Command, CommanderError, Option } from 'commander';
import { escapeControlCharacters, escapeControlCharactersIn, terminalSafeJson } from '@stockade/kernel';
import type {
  CheckReport,
  DeadLetter,
  DeadLetterSummary,
  OperatorEvent,
  OrderStory,
  Progress,
  RebuildableSummary,
  RebuildReport,
  ReplayResult,
  StockStory,
  StuckReport,
} from '@stockade/operations';
import { CliFailure, EXIT, OpsClient } from './ops-client';
import { stockadeVersion } from './version';
import {
  colours,
  parseDuration,
  renderCheck,
  renderDeadLetter,
  renderDeadLetters,
  renderEvent,
  renderOrderStory,
  renderReplays,
  renderStockStory,
  renderStuck,
} from './render';

export interface CliIo {
  readonly stdout: { write(text: string): unknown; isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborts long commands (tail, check): Ctrl-C in the real CLI. */
  readonly signal?: AbortSignal;
  /** Asks a yes/no question on a terminal (default: readline on stdin). */
  readonly confirm?: (question: string) => Promise<boolean>;
}

const EXIT_CODES_HELP = `
Exit codes: 0 done, nothing to look at; 1 something found (drift, stuck orders); 2 usage error;
3 not found (order, SKU); 4 not allowed (set STOCKADE_OPERATOR_TOKEN or --token);
5 Stockade unreachable or failing; 130 interrupted.`;

interface GlobalOptions {
  url: string;
  token?: string;
  json?: boolean;
  color: boolean;
}

/** Runs one `stockade` command; resolves with the exit code instead of exiting (tests run it in-process). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const out = (text: string) => io.stdout.write(`${text}\n`);
  // What the server sends is data (Kafka keys, headers, dead letters, customer ids): a control
  // character in it must reach the operator's terminal as a visible escape, never as a command.
  const print = <T>(data: T, json: boolean, render: (safe: T) => string) =>
    out(json ? terminalSafeJson(data) : render(escapeControlCharactersIn(data)));
  const program = new Command('stockade')
    .description("Stockade's operator tool: every order's story, stock, stuck orders, the books, the live event feed")
    .addOption(
      new Option('--url <url>', 'Stockade (the embedded runner or the gateway)')
        .env('STOCKADE_URL')
        .default('http://127.0.0.1:3000'),
    )
    .addOption(new Option('--token <token>', 'the operator token').env('STOCKADE_OPERATOR_TOKEN'))
    .option('--json', 'machine output: one JSON document (NDJSON for tail)')
    .option('--no-color', 'no colours even on a terminal')
    .version(stockadeVersion(), '-V, --version', "Stockade's version")
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });

  const context = () => {
    const options = program.opts<GlobalOptions>();
    const env = { ...io.env };
    const token = options.token ?? env.STOCKADE_OPERATOR_TOKEN;
    const url = (options.url ?? env.STOCKADE_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
    return {
      client: new OpsClient(url, token),
      json: options.json === true,
      c: colours(options.color !== false && io.stdout.isTTY === true && !env.NO_COLOR),
    };
  };

  program
    .command('order <orderId>')
    .description(
      "the order's story: every event across the services in causal order, its phase and deadlines, and why it ended",
    )
    .action(async (orderId: string) => {
      const { client, json, c } = context();
      const story = await client.json<OrderStory>('GET', `/ops/orders/${encodeURIComponent(orderId)}`);
      print(story, json, (safe) => renderOrderStory(safe, c));
    });

  program
    .command('stock <sku>')
    .description('on hand, reserved, available, badge, live reservations and the last movements of a SKU')
    .option('--movements <n>', 'how many of the last movements', '20')
    .action(async (sku: string, options: { movements: string }) => {
      const { client, json, c } = context();
      const story = await client.json<StockStory>(
        'GET',
        `/ops/stock/${encodeURIComponent(sku)}?movements=${encodeURIComponent(options.movements)}`,
      );
      print(story, json, (safe) => renderStockStory(safe, c));
    });

  program
    .command('stuck')
    .description('orders not terminal past their deadline or older than the threshold (exit 1 when there are any)')
    .option('--older-than <duration>', 'e.g. 30s, 5m, 1h', '30s')
    .action(async (options: { olderThan: string }) => {
      const olderThanMs = parseDuration(options.olderThan);
      if (olderThanMs === undefined)
        throw new CliFailure(`--older-than: not a duration: ${options.olderThan} (try 30s, 5m, 1h)`, EXIT.usage);
      const { client, json, c } = context();
      const report = await client.json<StuckReport>('GET', `/ops/stuck?olderThanMs=${olderThanMs}`);
      print(report, json, (safe) => renderStuck(safe, c));
      if (report.orders.length > 0) exitCode = EXIT.found;
    });

  program
    .command('check')
    .description(
      'prove the books balance: stock levels against their events, reservations against orders (exit 1 on drift)',
    )
    .option('--repair', 'append correcting events for what can be fixed (after confirmation)')
    .option('--yes', 'do not ask before repairing')
    .action(async (options: { repair?: boolean; yes?: boolean }) => {
      const { client, json, c } = context();
      let report = await runCheck(client, false, io, json);
      if (options.repair && report.findings.some((finding) => finding.repair)) {
        const planned = report.findings.flatMap((finding) => (finding.repair ? [finding.repair.description] : []));
        io.stderr.write(
          `repairs to append:\n${planned.map((line) => `  ${escapeControlCharacters(line)}`).join('\n')}\n`,
        );
        if (!options.yes) {
          if (io.stdout.isTTY !== true || !process.stdin.isTTY)
            throw new CliFailure('refusing to repair without --yes when not on a terminal', EXIT.usage);
          const confirm = io.confirm ?? askOnTerminal;
          if (!(await confirm('append these repairs? (y/N) '))) throw new CliFailure('not repaired', EXIT.found);
        }
        report = await runCheck(client, true, io, json);
      }
      print(report, json, (safe) => renderCheck(safe, c));
      if (!report.ok && !(report.repaired && report.repaired.length === report.findings.length)) exitCode = EXIT.found;
    });

  program
    .command('rebuild [projection]')
    .description(
      'republish a read model from the event store while Stockade serves (stock-levels: the latest level of every SKU); without a name, list them',
    )
    .action(async (projection: string | undefined) => {
      const { client, json } = context();
      if (projection === undefined) {
        const { projections } = await client.json<{ projections: RebuildableSummary[] }>('GET', '/ops/rebuild');
        print(projections, json, (safe) =>
          safe.map((entry) => `${entry.name}  (${entry.topic})  ${entry.description}`).join('\n'),
        );
        return;
      }
      const report = await runWithProgress<RebuildReport>(
        client,
        `/ops/rebuild/${encodeURIComponent(projection)}`,
        {},
        io,
        json,
        'the rebuild',
      );
      print(
        report,
        json,
        (safe) =>
          `rebuilt ${safe.projection}: read ${safe.eventsRead} events, republished the latest state of ${safe.keys} keys (${safe.published} messages to ${safe.topic}) in ${safe.tookMs} ms`,
      );
    });

  const dlq = program
    .command('dlq')
    .description(
      'dead letters: list them, show one with its exact bytes, replay after a fix (each replay recorded, once)',
    );
  dlq
    .command('list')
    .option('--topic <topic>', 'one dead-letter topic (default: all)')
    .description('dead letters with reason, origin and attempts (exit 1 when there are any not replayed)')
    .action(async (options: { topic?: string }) => {
      const { client, json, c } = context();
      const { deadLetters } = await client.json<{ deadLetters: DeadLetterSummary[] }>(
        'GET',
        `/ops/dlq${options.topic ? `?topic=${encodeURIComponent(options.topic)}` : ''}`,
      );
      print(deadLetters, json, (safe) => renderDeadLetters(safe, c));
      if (deadLetters.some((letter) => !letter.replayed)) exitCode = EXIT.found;
    });
  dlq
    .command('show <id>')
    .description('one dead letter: headers, text and base64 of its exact bytes')
    .action(async (id: string) => {
      const { client, json, c } = context();
      const letter = await client.json<DeadLetter>('GET', `/ops/dlq/${encodeURIComponent(id)}`);
      print(letter, json, (safe) => renderDeadLetter(safe, c));
    });
  dlq
    .command('replay [id]')
    .description('publish a dead letter back to its topic once (or --all not yet replayed); recorded with who and when')
    .option('--all', 'every dead letter not replayed yet')
    .option('--topic <topic>', 'with --all: only this dead-letter topic')
    .option('--as <name>', 'who replays (default: $USER)')
    .action(async (id: string | undefined, options: { all?: boolean; topic?: string; as?: string }) => {
      if ((id === undefined) === (options.all !== true))
        throw new CliFailure('give a dead letter id or --all', EXIT.usage);
      const by = options.as ?? io.env.USER ?? 'operator';
      const { client, json, c } = context();
      const results = id
        ? [await client.json<ReplayResult>('POST', `/ops/dlq/${encodeURIComponent(id)}/replay`, { by })]
        : (
            await client.json<{ results: ReplayResult[] }>('POST', '/ops/dlq/replay', {
              by,
              ...(options.topic ? { topic: options.topic } : {}),
            })
          ).results;
      print(results, json, (safe) => renderReplays(safe, c));
      if (results.some((result) => result.outcome === 'failed')) exitCode = EXIT.found;
    });

  program
    .command('tail')
    .description('follow events live (Ctrl-C to stop); reconnects where it left off')
    .option('--from <from>', 'a cursor (orders:<n>,inventory:<n>), an ISO time, or now', 'now')
    .option('--stream <stream>', 'only this stream')
    .option('--sku <sku>', 'only events of this SKU')
    .option('--order <orderId>', 'only events of this order')
    .option('--correlation <id>', 'only events with this correlation id')
    .option('--type <types>', 'only these event types, comma-separated')
    .action(
      async (options: {
        from: string;
        stream?: string;
        sku?: string;
        order?: string;
        correlation?: string;
        type?: string;
      }) => {
        const { client, json, c } = context();
        const query = new URLSearchParams({ from: options.from });
        for (const key of ['stream', 'sku', 'order', 'correlation', 'type'] as const)
          if (options[key]) query.set(key, options[key] as string);
        const signal = io.signal ?? new AbortController().signal;
        let lastEventId: string | undefined;
        while (!signal.aborted) {
          try {
            await client.stream(
              'GET',
              `/ops/events?${query}`,
              undefined,
              (message) => {
                if (message.event === 'error')
                  throw new CliFailure(`the feed failed: ${message.data}`, EXIT.unavailable);
                if (message.event !== 'event') return;
                lastEventId = message.id ?? lastEventId;
                const event = JSON.parse(message.data) as OperatorEvent;
                print(event, json, (safe) => renderEvent(safe, c));
              },
              signal,
              lastEventId,
            );
          } catch (error) {
            if (signal.aborted) break;
            if (error instanceof CliFailure && error.exitCode !== EXIT.unavailable) throw error;
          }
          // The connection ended (a restart, a proxy): come back from the last event seen.
          if (!signal.aborted) await new Promise((resolve) => setTimeout(resolve, 1_000));
        }
      },
    );

  try {
    await program.parseAsync(['node', 'stockade', ...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (io.signal?.aborted) return EXIT.interrupted;
    if (error instanceof CliFailure) {
      io.stderr.write(`stockade: ${escapeControlCharacters(error.message)}\n`);
      return error.exitCode;
    }
    io.stderr.write(`stockade: ${escapeControlCharacters((error as Error).message)}\n`);
    return EXIT.unavailable;
  }
}

/** The check as an event stream, with a progress bar on a terminal. */
function runCheck(client: OpsClient, repair: boolean, io: CliIo, json: boolean): Promise<CheckReport> {
  return runWithProgress<CheckReport>(client, '/ops/check', { repair }, io, json, 'the check');
}

/** Long work (check, rebuild) as an event stream: a progress bar per phase on a terminal, then its report. */
async function runWithProgress<Report>(
  client: OpsClient,
  path: string,
  body: unknown,
  io: CliIo,
  json: boolean,
  what: string,
): Promise<Report> {
  const bar =
    io.stderr.isTTY === true && !json
      ? new SingleBar({
          format: '{phase} [{bar}] {percentage}% {value}/{total}',
          stream: io.stderr as NodeJS.WritableStream,
          hideCursor: true,
        })
      : undefined;
  let report: Report | undefined;
  let failure: string | undefined;
  let barPhase: string | undefined;
  try {
    await client.stream(
      'POST',
      path,
      body,
      (message) => {
        if (message.event === 'progress' && bar) {
          const progress = JSON.parse(message.data) as Progress;
          if (barPhase !== progress.phase) {
            if (barPhase !== undefined) bar.stop();
            bar.start(progress.total ?? progress.done, progress.done, { phase: progress.phase });
            barPhase = progress.phase;
          }
          bar.update(progress.done, { phase: progress.phase });
        } else if (message.event === 'report') report = JSON.parse(message.data) as Report;
        else if (message.event === 'error')
          failure = (JSON.parse(message.data) as { message?: string }).message ?? message.data;
      },
      io.signal ?? new AbortController().signal,
    );
  } finally {
    if (barPhase !== undefined) bar?.stop();
  }
  if (failure !== undefined) throw new CliFailure(`${what} failed: ${failure}`, EXIT.unavailable);
  if (!report)
    throw new CliFailure(
      io.signal?.aborted ? 'interrupted' : `${what} ended without a report`,
      io.signal?.aborted ? EXIT.interrupted : EXIT.unavailable,
    );
  return report;
}

async function askOnTerminal(question: string): Promise<boolean> {
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await terminal.question(question)).trim());
  } finally {
    terminal.close();
  }
}
