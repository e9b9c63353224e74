import { StopSignal } from '../engine/stop-signal';

/**
 * One StopSignal per running batch. Closing the subscription stops them all (so retry
 * backoffs end at once); a batch that lost its heartbeat (a rebalance took its partition)
 * stops only its own, and leaves the rest of its messages to whoever owns the partition next.
 */
export class BatchStopSignals {
  private readonly active = new Set<StopSignal>();
  private closed = false;

  open(): StopSignal {
    const signal = new StopSignal();
    if (this.closed) signal.stop();
    else this.active.add(signal);
    return signal;
  }

  release(signal: StopSignal): void {
    this.active.delete(signal);
  }

  stopAll(): void {
    this.closed = true;
    this.active.forEach((signal) => signal.stop());
    this.active.clear();
  }
}
