/**
 * `stockade tail | head -5`: once the reader has what it wanted it closes the pipe, and the next
 * write fails with EPIPE. Nothing is wrong, so the CLI ends quietly with 0, as Unix tools do,
 * instead of an unhandled 'error' event's stack trace. Any other stream error is still thrown.
 */
export function exitQuietlyOnClosedPipe(stream: NodeJS.WritableStream, exit: (code: number) => void): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    exit(0);
  });
}
