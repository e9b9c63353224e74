export interface ShutdownOptions {
  /** Longest a graceful close may take before the process exits anyway (STOCKADE_SHUTDOWN_TIMEOUT_MS). */
  readonly timeoutMs: number;
  /** Where the shutdown says what it does (default: the console, which the operator's process manager keeps). */
  readonly say?: (line: string) => void;
}

/**
 * Keeps the process up until SIGINT/SIGTERM, then closes gracefully: stop accepting HTTP, let
 * in-flight handlers finish and commit, leave the consumer groups, flush the outbox and the
 * producer, close the stores. Then the process exits, whatever timers a client library still
 * holds (kafkajs retrying a broker that is gone kept services alive forever). A close that takes
 * longer than the deadline is abandoned with exit code 1; a second signal exits at once.
 */
export async function runUntilSignalled(
  close: () => Promise<void>,
  options: ShutdownOptions = { timeoutMs: 15_000 },
): Promise<never> {
  const say = options.say ?? ((line: string) => console.log(line));
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  say(`${signal}: shutting down (at most ${options.timeoutMs} ms)`);
  const again = () => {
    say('second signal: exiting now');
    process.exit(130);
  };
  process.once('SIGINT', again);
  process.once('SIGTERM', again);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), options.timeoutMs)));
  const outcome = await Promise.race([
    close().then(
      () => 'closed' as const,
      (error: unknown) => {
        console.error('error during shutdown', error);
        return 'failed' as const;
      },
    ),
    deadline,
  ]);
  clearTimeout(timer);
  if (outcome === 'late')
    say(`shutdown did not finish within ${options.timeoutMs} ms (STOCKADE_SHUTDOWN_TIMEOUT_MS); exiting anyway`);
  else if (outcome === 'closed') say('stopped');
  process.exit(outcome === 'closed' ? 0 : 1);
}
