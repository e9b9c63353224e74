import { Controller, Get, Module } from '@nestjs/common';
import { Writable } from 'node:stream';
import { Access } from '@stockade/api';
import { InMemoryMessageBus } from '@stockade/messaging';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { TEST_OPERATOR_TOKEN } from '../testing';
import { startStockadeApp } from './start-stockade-app';

@Controller('failing')
class FailingController {
  @Get()
  @Access('operator')
  fail(): never {
    throw new Error('the handler broke');
  }
}

@Module({ controllers: [FailingController] })
class FailingModule {}

/** Everything written to a stream, as lines. */
function lineCollector() {
  const lines: string[] = [];
  let partial = '';
  const collect = (chunk: unknown) => {
    const text = partial + String(chunk);
    const parts = text.split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts.filter((line) => line.length > 0));
  };
  return { lines, collect };
}

describe("Nest's own logging", () => {
  it('given a service app on pino at debug, when it starts and a handler throws, then every line is JSON: route mapping as debug, the error as error with its stack, nothing on the console', async () => {
    const pinoOut = lineCollector();
    const console = lineCollector();
    const writes = [process.stdout, process.stderr].map((stream) =>
      jest.spyOn(stream, 'write').mockImplementation((chunk: unknown) => {
        console.collect(chunk);
        return true;
      }),
    );
    const destination = new Writable({
      write: (chunk, _encoding, done) => {
        pinoOut.collect(chunk);
        done();
      },
    });
    const config = loadConfig({
      PORT: '0',
      STOCKADE_OPERATOR_TOKEN: TEST_OPERATOR_TOKEN,
      STOCKADE_LOG_LEVEL: 'debug',
      STOCKADE_DATA_DIR: '/nonexistent-stockade-test',
    });
    let app: Awaited<ReturnType<typeof startStockadeApp>> | undefined;
    try {
      app = await startStockadeApp({
        config,
        logger: createLogger('debug', 'stockade-test', destination),
        bus: new InMemoryMessageBus(),
        modules: [{ module: FailingModule }],
      });
      const response = await fetch(`${app.url}/failing`, {
        headers: { authorization: `Bearer ${TEST_OPERATOR_TOKEN}` },
      });
      expect(response.status).toBe(500);
    } finally {
      await app?.close();
      writes.forEach((write) => write.mockRestore());
    }

    expect(console.lines).toEqual([]);
    const entries = pinoOut.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toContainEqual(
      expect.objectContaining({
        level: 20,
        component: 'nest',
        context: 'RouterExplorer',
        msg: expect.stringContaining('/failing'),
      }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({
        level: 50,
        component: 'nest',
        context: 'http',
        msg: expect.stringContaining('the handler broke'),
      }),
    );
  });

  it('given pino at info, when a service app starts, then Nest writes nothing (its start-up narration is debug)', async () => {
    const pinoOut = lineCollector();
    const destination = new Writable({
      write: (chunk, _encoding, done) => {
        pinoOut.collect(chunk);
        done();
      },
    });
    const config = loadConfig({
      PORT: '0',
      STOCKADE_OPERATOR_TOKEN: TEST_OPERATOR_TOKEN,
      STOCKADE_DATA_DIR: '/nonexistent-stockade-test',
    });
    const app = await startStockadeApp({
      config,
      logger: createLogger('info', 'stockade-test', destination),
      bus: new InMemoryMessageBus(),
      modules: [{ module: FailingModule }],
    });
    await app.close();

    expect(pinoOut.lines.filter((line) => line.includes('"component":"nest"'))).toEqual([]);
  });
});
