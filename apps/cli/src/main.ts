#!/usr/bin/env node
import { exitQuietlyOnClosedPipe, runCli } from '@stockade/cli';

// Piped into `head` (or a pager the operator quits), stdout closes early: end quietly.
exitQuietlyOnClosedPipe(process.stdout, (code) => process.exit(code));
exitQuietlyOnClosedPipe(process.stderr, (code) => process.exit(code));

// Ctrl-C stops a tail or a running check cleanly: the request is aborted, the server stops too.
const interrupt = new AbortController();
process.once('SIGINT', () => interrupt.abort());

void runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: interrupt.signal,
}).then((code) => {
  process.exitCode = interrupt.signal.aborted ? 130 : code;
});
