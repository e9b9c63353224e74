import 'reflect-metadata';
import {
  BadRequestException,
  Body,
  Controller,
  DynamicModule,
  Get,
  HttpCode,
  Inject,
  Module,
  Post,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Pool } from 'pg';
import { CheckoutRequest } from '@stockade/contracts';
import { baselineConfigFromEnv, openBaselinePool } from './baseline-config';
import type { BaselineTables } from './baseline-store';
import { checkoutOf, DecideCheckout } from './baseline-checkout';

const BASELINE = Symbol('Baseline');

interface Baseline {
  readonly pool: Pool;
  readonly tables: BaselineTables;
  readonly decide: DecideCheckout;
}

/**
 * The PostgreSQL baseline served over HTTP by the same framework as Stockade (NestJS on Fastify,
 * the same zod contract for the body), so the bench's client pays the same HTTP costs for both.
 * It answers the decision itself: for this arm, accepted is terminal.
 */
@Controller()
class BaselineCheckoutController {
  constructor(@Inject(BASELINE) private readonly baseline: Baseline) {}

  @Post('checkouts')
  @HttpCode(200)
  async checkout(@Body() body: unknown): Promise<{ orderId: string; status: string; repeated: boolean }> {
    const parsed = CheckoutRequest.safeParse(body);
    if (!parsed.success) throw new BadRequestException(parsed.error.issues);
    const decision = await this.baseline.decide(this.baseline.pool, this.baseline.tables, parsed.data);
    return { orderId: parsed.data.checkoutId, ...decision };
  }

  @Get('health')
  health(): { status: string } {
    return { status: 'ok' };
  }
}

@Module({})
class BaselineModule {
  static register(baseline: Baseline): DynamicModule {
    return {
      module: BaselineModule,
      controllers: [BaselineCheckoutController],
      providers: [{ provide: BASELINE, useValue: baseline }],
    };
  }
}

async function main(): Promise<void> {
  const config = baselineConfigFromEnv();
  const pool = await openBaselinePool(config);
  const app = await NestFactory.create<NestFastifyApplication>(
    BaselineModule.register({ pool, tables: config.tables, decide: checkoutOf(config.checkout) }),
    new FastifyAdapter({ bodyLimit: 64 * 1024 }),
    {
      logger: ['error', 'warn'],
    },
  );
  await app.listen(config.port, '127.0.0.1');
  process.once('SIGTERM', () => {
    void app
      .close()
      .then(() => pool.end())
      .finally(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
