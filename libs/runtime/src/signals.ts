/**
 * Keeps the process up until SIGINT/SIGTERM, then closes gracefully: stop accepting HTTP,
 * let in-flight handlers finish and commit, flush the outbox, close the stores. A second
 * signal exits at once.
 */
export async function runUntilSignalled(close: () => Promise<void>): Promise<void> {
  await new Promise<void>((resolve) => {
    let closing = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (closing) process.exit(130);
      closing = true;
      console.log(`${signal}: shutting down`);
      close()
        .catch((error: unknown) => console.error('error during shutdown', error))
        .finally(resolve);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
