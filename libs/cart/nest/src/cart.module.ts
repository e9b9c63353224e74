import { DynamicModule, Module } from '@nestjs/common';
import { CartService, PaymentTokenizer, StockAvailability } from '@stockade/cart-service';
import type { Clock } from '@stockade/kernel';
import type { MessageBusClient } from '@stockade/nest-bus';
import {
  BUS_CLIENT,
  CLOCK,
  Logger,
  LOGGER,
  STOCK_AVAILABILITY,
  STOCKADE_CONFIG,
  StockadeConfig,
} from '@stockade/runtime';
import { CART_SERVICE, CART_STORAGE } from './cart.tokens';
import { CartLifecycle } from './cart-lifecycle';
import { CartOrderOutcomesController, stockLevelFeedController } from './cart-messages.controller';
import { CartStorage, openCartStorage } from './cart-storage';
import { CARTS_FACADE } from './carts.facade';
import { CartsController } from './carts.controller';

export type CartStockSource =
  /**
   * From the `inventory.stock-levels` feed (a cart service alone). `shared`: carts and levels in
   * Redis (REDIS_URL), one feed group for the fleet; otherwise in this process, a group of its own.
   */
  | { readonly kind: 'feed'; readonly shared: boolean }
  /** From a module that exports STOCK_AVAILABILITY (the embedded runner: inventory in the same process). */
  | { readonly kind: 'module'; readonly module: DynamicModule };

export interface CartModuleOptions {
  /**
   * The payment gateway's token exchange (ADR 0021): a checkout is published with its reference.
   * The composition binds the same gateway here as in the order service (the payment simulator's
   * where no real gateway is configured): carts know the port only, not ordering's gateways.
   */
  readonly payments: PaymentTokenizer;
}

/**
 * The cart service: stock-aware carts with badges, checkout published as CheckoutRequested.v1
 * through the Nest client (BUS_CLIENT), the order-outcome handler, and the cart HTTP routes.
 */
@Module({})
export class CartModule {
  static register(stock: CartStockSource, options: CartModuleOptions): DynamicModule {
    const fromFeed = stock.kind === 'feed';
    const shared = stock.kind === 'feed' && stock.shared;
    return {
      module: CartModule,
      imports: fromFeed ? [] : [stock.module],
      controllers: [
        CartOrderOutcomesController,
        // Without Redis each process keeps the levels in memory and re-reads them all at start: a fresh group, deleted at a clean stop.
        ...(fromFeed
          ? [
              stockLevelFeedController(
                shared
                  ? { groupId: 'cart-stock-levels', ephemeral: false }
                  : { groupId: `cart-stock-levels-${process.pid}-${Date.now()}`, ephemeral: true },
              ),
            ]
          : []),
        CartsController,
      ],
      providers: [
        {
          provide: CART_STORAGE,
          useFactory: (config: StockadeConfig, logger: Logger) =>
            openCartStorage(shared ? config.REDIS_URL : undefined, config, logger),
          inject: [STOCKADE_CONFIG, LOGGER],
        },
        ...(fromFeed
          ? [
              {
                provide: STOCK_AVAILABILITY,
                useFactory: (storage: CartStorage) => storage.levels,
                inject: [CART_STORAGE],
              },
            ]
          : []),
        {
          provide: CART_SERVICE,
          useFactory: (
            storage: CartStorage,
            stockAvailability: StockAvailability,
            client: MessageBusClient,
            clock: Clock,
            config: StockadeConfig,
          ) =>
            new CartService({
              carts: storage.repository,
              stock: stockAvailability,
              bus: client.asPublisher(),
              payments: options.payments,
              clock,
              limitedThreshold: config.STOCKADE_LIMITED_THRESHOLD,
            }),
          inject: [CART_STORAGE, STOCK_AVAILABILITY, BUS_CLIENT, CLOCK, STOCKADE_CONFIG],
        },
        { provide: CARTS_FACADE, useExisting: CART_SERVICE },
        CartLifecycle,
      ],
      exports: [CARTS_FACADE, CART_SERVICE],
    };
  }
}
