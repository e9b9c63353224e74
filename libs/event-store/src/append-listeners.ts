/**
 * The `onAppended` listeners of one store instance, shared by every adapter: what wakes them
 * differs (a direct call after an own append, a NOTIFY, a subscription), the set does not.
 */
export class AppendListeners {
  private readonly listeners = new Set<() => void>();

  /** Adds a listener; the returned function removes it. */
  add(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  wake(): void {
    this.listeners.forEach((listener) => listener());
  }

  clear(): void {
    this.listeners.clear();
  }
}
