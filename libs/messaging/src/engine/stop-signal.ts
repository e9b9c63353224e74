/** A subscription's "closing" flag that sleeping retries can also await, so close() never waits out a backoff. */
export class StopSignal {
  private stoppedFlag = false;
  private resolveStopped: () => void = () => undefined;
  private readonly stoppedPromise = new Promise<void>((resolve) => (this.resolveStopped = resolve));

  get stopped(): boolean {
    return this.stoppedFlag;
  }

  stop(): void {
    this.stoppedFlag = true;
    this.resolveStopped();
  }

  /** Resolves true after `milliseconds`, or false as soon as the signal stops. */
  pause(milliseconds: number): Promise<boolean> {
    if (this.stoppedFlag) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(true), milliseconds);
      void this.stoppedPromise.then(() => {
        clearTimeout(timer);
        resolve(false);
      });
    });
  }
}
