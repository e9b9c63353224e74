import { Inject, Injectable, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import { HealthRegistry } from '@stockade/api';
import { CART_STORAGE } from './cart.tokens';
import type { CartStorage } from './cart-storage';

/** Registers Redis (where used) as a readiness dependency; closes the connection after the consumers stopped. */
@Injectable()
export class CartLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(CART_STORAGE) private readonly storage: CartStorage,
    @Optional() @Inject(HealthRegistry) private readonly health?: HealthRegistry,
  ) {}

  onModuleInit(): void {
    if (this.storage.check) this.health?.register('redis', this.storage.check);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.storage.close();
  }
}
