import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const BIN = join(ROOT, 'bin', 'stockade.js');
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

/** A stand-in for /ops/events that sends events until the client goes away. */
async function endlessFeed() {
  const server: Server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    let id = 0;
    const timer = setInterval(() => {
      for (let i = 0; i < 50; i++, id++) {
        const event = {
          source: 'orders',
          stream: `order-${id}`,
          version: 1,
          position: id,
          type: 'OrderPlaced',
          recordedAt: '2026-12-07T00:00:00.000Z',
          correlationId: `o-${id}`,
          causationId: `o-${id}`,
          summary: 'placed',
          tone: 'neutral',
        };
        response.write(`id: ${id}\nevent: event\ndata: ${JSON.stringify(event)}\n\n`);
      }
    }, 5);
    request.socket.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Runs the built CLI as a process; `linesWanted` closes its stdout after that many lines, as `| head -n` does. */
function stockade(
  args: readonly string[],
  linesWanted = Infinity,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, STOCKADE_OPERATOR_TOKEN: 'some-operator-token' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.split('\n').length > linesWanted) child.stdout.destroy();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the stockade CLI as a process', () => {
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js')))
      throw new Error('the CLI is not built: run "npm run build" first (npm test does)');
  });

  it.each([['--version'], ['-V']])('given %s, then it prints the version in package.json and exits 0', async (flag) => {
    const { code, stdout, stderr } = await stockade([flag]);

    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('given `stockade tail` piped into a reader that closes after 5 lines (| head -5), then it exits 0 with nothing on stderr: no EPIPE, no stack', async () => {
    const feed = await endlessFeed();
    try {
      const { code, stdout, stderr } = await stockade(['--url', feed.url, 'tail'], 5);

      expect(stdout.split('\n').length).toBeGreaterThan(5);
      expect(stderr).toBe('');
      expect(code).toBe(0);
    } finally {
      await feed.close();
    }
  });
});
