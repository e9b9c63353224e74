import { rssMiBOf, threadHeapsFrom } from './process-memory';

describe("threadHeapsFrom (each thread's heap, from /metrics)", () => {
  it("given the embedded process's metrics with its main and inventory threads, when read, then each thread has its own heap in MiB", () => {
    const metrics = [
      '# HELP stockade_thread_heap_used_bytes V8 heap in use by this thread',
      '# TYPE stockade_thread_heap_used_bytes gauge',
      'stockade_thread_heap_used_bytes{thread="main"} 104857600',
      'stockade_thread_heap_used_bytes{thread="inventory"} 52428800',
      'stockade_thread_heap_total_bytes{thread="main"} 157286400',
      'stockade_thread_heap_total_bytes{thread="inventory"} 62914560',
      'stockade_nodejs_heap_size_used_bytes 104857600',
    ].join('\n');

    expect(threadHeapsFrom(metrics)).toEqual({
      main: { heapUsedMiB: 100, heapTotalMiB: 150 },
      inventory: { heapUsedMiB: 50, heapTotalMiB: 60 },
    });
  });

  it('given metrics without thread series (a process that does not report them), when read, then there are no threads', () => {
    expect(threadHeapsFrom('stockade_nodejs_heap_size_used_bytes 1')).toEqual({});
  });
});

describe('rssMiBOf', () => {
  it('given this process, when read, then its resident memory is some MiB; a pid that does not exist reads as undefined', () => {
    expect(rssMiBOf(process.pid)).toBeGreaterThan(10);
    expect(rssMiBOf(2 ** 22 + 7)).toBeUndefined();
  });
});
