import {
  DynamicModule,
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { LIVE_STOCK, LiveStockLevels, LiveStockSocketGateway } from '@stockade/api';
import type { MessageBus, Subscription } from '@stockade/messaging';
import {
  liveStreamLimitsOf,
  Logger,
  LOGGER,
  MESSAGE_BUS,
  STOCKADE_CONFIG,
  STOCKADE_METRICS,
  StockadeConfig,
  StockadeMetrics,
} from '@stockade/runtime';
import { INVENTORY_FACADE, InventoryFacade } from './inventory.facade';
import { feedLiveStock, liveStockGroupId, stockSnapshotFrom } from './live-stock-feed';
import { LiveStockController } from './live-stock.controller';

const LIVE_STOCK_GROUP = Symbol('LiveStockGroup');

/** Subscribes the feed once the app is up, and leaves before the bus closes. */
@Injectable()
class LiveStockFeedLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private subscription: Subscription | undefined;

  constructor(
    @Inject(LIVE_STOCK) private readonly live: LiveStockLevels,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(STOCKADE_METRICS) private readonly metrics: StockadeMetrics,
    @Inject(LIVE_STOCK_GROUP) private readonly groupId: string,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.metrics.watchLiveStreams(this.live);
    this.subscription = await feedLiveStock(this.bus, this.live, { groupId: this.groupId, logger: this.logger });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.close();
  }
}

/**
 * GET /inventory/stream and GET /ops/stock-stream (SSE), and the WebSocket /inventory/socket, in a process that has the inventory facade and
 * a bus (the embedded runner): levels from inventory.stock-levels, snapshots from the facade.
 */
@Module({})
export class LiveStockModule {
  static register(inventory: DynamicModule, name = 'stockade'): DynamicModule {
    return {
      module: LiveStockModule,
      imports: [inventory],
      controllers: [LiveStockController],
      providers: [
        {
          provide: LIVE_STOCK,
          useFactory: (facade: InventoryFacade, config: StockadeConfig) =>
            new LiveStockLevels({ snapshot: stockSnapshotFrom(facade), ...liveStreamLimitsOf(config) }),
          inject: [INVENTORY_FACADE, STOCKADE_CONFIG],
        },
        {
          provide: LIVE_STOCK_GROUP,
          useFactory: (config: StockadeConfig) => liveStockGroupId(name, config.STOCKADE_INSTANCE_ID),
          inject: [STOCKADE_CONFIG],
        },
        LiveStockFeedLifecycle,
        LiveStockSocketGateway,
      ],
    };
  }
}
