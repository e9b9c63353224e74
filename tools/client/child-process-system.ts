import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { cpuSecondsOf, peakRssMiBOf } from './proc-stats';
export const OPERATOR_TOKEN = 'test-operator-token-Kq2Vx9Lm4RtZ8';
/**
 * The systems these processes are (tests, benchmarks, the fault harness) take many requests and
 * connections from one address: rate limits and the per-address connection cap are off unless
 * `env` turns them on.
 */
export const LOAD_LIMITS_OFF = {
  STOCKADE_RATE_LIMIT_PER_SECOND: '0',
  STOCKADE_MAX_CONNECTIONS_PER_ADDRESS: '0',
} as const;

/** Works from the TypeScript sources (tests) and from dist/tools/client (the benchmark). */
export const DIST = __dirname.includes('/dist/') ? join(__dirname, '..', '..') : join(__dirname, '..', '..', 'dist');
/** An app's name (`stockade`, `order-service`, …), or a script's path under dist ending in `.js` (the bench's baseline servers). */
const mainOf = (app: string) => (app.endsWith('.js') ? join(DIST, app) : join(DIST, 'apps', app, 'src', 'main.js'));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A Stockade app as a real OS process (the built `dist/apps/<app>/src/main.js`), so a test
 * can kill it with SIGKILL, as a power cut or the OOM killer would, and start it again on the same data.
 */
export class ChildProcessSystem {
  private child: ChildProcess | undefined;
  private output = '';

  constructor(
    readonly dataDir: string,
    readonly port: number,
    private readonly env: Record<string, string> = {},
    /** Which app to run: the embedded `stockade` (default), one of the `*-service` apps, or a script under dist (`tools/….js`). */
    private readonly app = 'stockade',
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const main = mainOf(this.app);
    if (!existsSync(main)) throw new Error(`${main} is missing: run "npm run build" first (npm test does)`);
    // e.g. STOCKADE_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server under the bench.
    const nodeArgs = (process.env['STOCKADE_SERVER_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
    this.child = spawn(process.execPath, [...nodeArgs, main], {
      env: {
        ...process.env,
        PORT: String(this.port),
        STOCKADE_DATA_DIR: this.dataDir,
        STOCKADE_OPERATOR_TOKEN: OPERATOR_TOKEN,
        STOCKADE_LOG_LEVEL: 'warn',
        ...LOAD_LIMITS_OFF,
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const label = `[${this.app.replace(/^.*\//, '')} :${this.port}] `;
    const keep = (chunk: Buffer) => {
      this.output += chunk.toString();
      // Under Jest's quiet reporter (tools/test/jest) what a test prints is held back and shown only
      // if it fails: the services' own lines are then part of what explains the failure.
      if (process.env['STOCKADE_TEST_LOG_DIR']) process.stdout.write(chunk.toString().replace(/^(?=.)/gm, label));
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null)
        throw new Error(`${this.app} exited with ${this.child.exitCode}:\n${this.output}`);
      // Readiness needs a token once a process has API or upstream tokens (ADR 0024): the operator's reads it.
      const healthy = await fetch(`${this.url}/health`, {
        headers: { authorization: `Bearer ${this.env['STOCKADE_OPERATOR_TOKEN'] ?? OPERATOR_TOKEN}` },
      }).then(
        (r) => r.ok,
        () => false,
      );
      if (healthy) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${this.app} did not become healthy:\n${this.output}`);
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed beyond what was already durable. */
  async kill(): Promise<void> {
    const child = this.child;
    // A process ended by a signal has no exit code, only a signal code: either way it is gone.
    if (!child || !this.running) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  /** SIGTERM, and waits for the process to exit however long its shutdown takes. */
  async stop(): Promise<void> {
    await this.stopWithin(undefined);
  }

  /**
   * SIGTERM, then SIGKILL if the process has not exited within `graceMs` (undefined: wait as long as it takes): a test must end even
   * when a shutdown hangs. Says which way it ended, so a test can assert a clean stop.
   */
  async stopWithin(graceMs: number | undefined): Promise<'exited' | 'killed'> {
    const child = this.child;
    if (!child || !this.running) return 'exited';
    const exited = new Promise<'exited'>((resolve) => child.once('exit', () => resolve('exited')));
    child.kill('SIGTERM');
    if (graceMs === undefined) return exited;
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
    const outcome = await Promise.race([exited, graceOver]);
    clearTimeout(timer);
    if (outcome === 'exited') return outcome;
    await this.kill();
    return 'killed';
  }

  /** CPU time (user + system, every thread of the process) so far, in seconds; Linux only (see cpuSecondsOf). */
  cpuSeconds(): number | undefined {
    return this.pid === undefined ? undefined : cpuSecondsOf(this.pid);
  }

  /** Peak resident memory of the running process (VmHWM), in MiB; Linux only. */
  peakMemoryMiB(): number | undefined {
    return this.pid === undefined ? undefined : peakRssMiBOf(this.pid);
  }

  /** False once the process has exited (or was never started). */
  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The OS process id while it runs (the bench reads its CPU and memory from /proc). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get log(): string {
    return this.output;
  }
}
