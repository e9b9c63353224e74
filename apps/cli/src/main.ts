#!/usr/bin/env node
import { runCli } from '@stockade/cli';

// Ctrl-C stops a tail or a running check cleanly: the request is aborted, the server stops too.
const interrupt = new AbortController();
process.once('SIGINT', () => interrupt.abort());

void runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, signal: interrupt.signal }).then((code) => {
  process.exitCode = interrupt.signal.aborted ? 130 : code;
});
