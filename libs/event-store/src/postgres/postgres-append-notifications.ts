import { AppendListeners } from '../append-listeners';
import { Client, escapeIdentifier, type ClientConfig } from 'pg';

/** How long to wait before listening again after the listening connection dropped. */
const RECONNECT_DELAY_MS = 1000;

/**
 * The onAppended listeners of one store instance, woken by its own appends (directly, right
 * after the commit) and by other processes' appends (LISTEN on one dedicated connection;
 * every append transaction NOTIFYs the channel with its writer's instance id).
 *
 * A notification carrying our own instance id is ignored: the direct call already happened.
 * When the listening connection drops, notifications sent meanwhile are lost, so after
 * listening again the listeners are woken once to make them poll; that is also why the port
 * calls this a latency hint and readers must still poll.
 */
export class AppendNotifications extends AppendListeners {
  private client: Client | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    private readonly connection: ClientConfig,
    private readonly channel: string,
    private readonly instanceId: string,
  ) {
    super();
  }

  static async listen(connection: ClientConfig, channel: string, instanceId: string): Promise<AppendNotifications> {
    const notifications = new AppendNotifications(connection, channel, instanceId);
    await notifications.connect();
    return notifications;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.clear();
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end();
  }

  private async connect(): Promise<void> {
    const client = new Client(this.connection);
    client.on('notification', (message) => {
      if (message.channel === this.channel && message.payload !== this.instanceId) this.wake();
    });
    // Without an 'error' listener a dropped connection would crash the process.
    client.on('error', () => this.dropped(client));
    client.on('end', () => this.dropped(client));
    await client.connect();
    try {
      await client.query(`LISTEN ${escapeIdentifier(this.channel)}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    // close() may have run while a reconnect was under way.
    if (this.closed) return void (await client.end());
    this.client = client;
  }

  private dropped(client: Client): void {
    if (this.closed || this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.reconnectTimer = setTimeout(() => {
      this.connect().then(
        () => this.wake(),
        () => this.scheduleReconnect(),
      );
    }, RECONNECT_DELAY_MS);
    this.reconnectTimer.unref();
  }
}
