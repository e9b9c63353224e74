import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '@stockade/kernel';
import { declineTokens, SimulatedPaymentGateway } from '@stockade/ordering-service';
import { loadConfig } from '@stockade/runtime';
import { StockadeClient } from '../../../tools/client/stockade-client';
import { EmbeddedSystem, startEmbeddedSystem } from './embedded-system';
import { stockHistory } from './testing/stock-history';
import { OPERATOR_TOKEN } from './testing/test-system';

jest.setTimeout(60_000);

/**
 * The data directory a release with the first event model (v1: outbox commands stored as order
 * events) left behind after a crash with sagas in flight; tools/fixtures/generate-release-data-dir.js
 * says exactly what is in it, and tools/fixtures/make-release-data-dir.sh wrote it from commit 87d1b61.
 */
const FIXTURE = join(__dirname, 'testing', 'fixtures', 'data-dir-v1');
/** The fixture's last write; its reservations were taken minutes before and hold for 15 minutes. */
const FIXTURE_WRITTEN_AT = Date.parse('2026-12-01T06:49:47.550Z');

/** Real time, started a second after the fixture was written: the upgrade happens while its reservations still hold. */
function clockRightAfterTheFixture(): Clock {
  const startedAt = Date.now();
  return { now: () => new Date(FIXTURE_WRITTEN_AT + 1000 + (Date.now() - startedAt)) };
}

async function openFixture(clock?: Clock) {
  const dataDir = mkdtempSync(join(tmpdir(), 'stockade-upgrade-'));
  cpSync(FIXTURE, dataDir, { recursive: true });
  const config = loadConfig({
    PORT: '0',
    STOCKADE_DATA_DIR: dataDir,
    STOCKADE_OPERATOR_TOKEN: OPERATOR_TOKEN,
    STOCKADE_LOG_LEVEL: 'error',
  });
  // The fixture's `delay:` payments hung for ten minutes; without the slow-token rule they are approved at once (their tokens, stored by v1, are exchanged by the payment worker).
  const system = await startEmbeddedSystem(config, {
    paymentGateway: new SimulatedPaymentGateway({ tokenRules: [declineTokens] }),
    ...(clock ? { clock } : {}),
  });
  return { dataDir, system, client: new StockadeClient(system.url, OPERATOR_TOKEN) };
}

describe('upgrading a data directory written by the v1 event model', () => {
  let dataDir: string;
  let system: EmbeddedSystem;
  let client: StockadeClient;

  beforeEach(async () => {
    ({ dataDir, system, client } = await openFixture(clockRightAfterTheFixture()));
  });

  afterEach(async () => {
    await system.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('given orders that ended before the upgrade, when it opens, then they read as they ended', async () => {
    expect(await statusesOf(['done-1', 'done-2', 'done-3', 'done-rejected', 'done-declined'])).toEqual([
      'COMPLETED',
      'COMPLETED',
      'COMPLETED',
      'REJECTED',
      'CANCELLED',
    ]);
    expect((await client.order('done-rejected')).reasons).toEqual(['FIX-DESK: only 0 available, 3 requested']);
    expect((await client.order('done-declined')).reasons).toEqual(['payment declined: card expired']);
  });

  it('given sagas in flight in every v1 phase, when the new version opens the directory, then each one finishes as v1 would have finished it', async () => {
    const inFlight = ['paying-1', 'paying-2', 'placed-1', 'committing-1', 'releasing-1'];
    const ended = await Promise.all(inFlight.map((orderId) => client.waitForTerminal(orderId, 30_000)));

    expect(ended.map((order) => order.status)).toEqual([
      'COMPLETED',
      'COMPLETED',
      'COMPLETED',
      'COMPLETED',
      'CANCELLED',
    ]);
    expect(ended[4]?.reasons).toEqual(['cancelled by customer']);
  });

  it('given the upgrade finished the sagas, then the books balance: every unit sold once, nothing left reserved', async () => {
    await Promise.all(
      ['paying-1', 'paying-2', 'placed-1', 'committing-1', 'releasing-1'].map((orderId) =>
        client.waitForTerminal(orderId, 30_000),
      ),
    );
    // Sold: done-1..3 (1 + 2 + 1 lamps, 1 desk), paying-1, paying-2, committing-1 (2 lamps each), placed-1 (3 lamps).
    await waitUntil(async () => (await client.stock('FIX-LAMP')).reserved === 0);
    expect(await client.stock('FIX-LAMP')).toMatchObject({ onHand: 20 - 4 - 6 - 3, reserved: 0 });
    expect(await client.stock('FIX-DESK')).toMatchObject({ onHand: 0, reserved: 0 });
    const lampHistory = await stockHistory(dataDir, 'FIX-LAMP');
    expect(lampHistory.every(({ onHand, reserved }) => onHand - reserved >= 0)).toBe(true);
  });

  it('given its SKUs, written before listings, when the new version opens it, then they read without a name or price, are not in the catalog, and an operator can list one', async () => {
    const before = await client.stock('FIX-DESK');
    expect(before).not.toHaveProperty('unitPrice');
    expect((await client.catalog()).items).toEqual([]);

    const listed = await client.setListing('FIX-DESK', { name: 'Fixture desk', unitPrice: 120 });

    expect(listed).toEqual({ ...before, name: 'Fixture desk', unitPrice: 120 });
    expect((await client.catalog()).items).toEqual([
      { sku: 'FIX-DESK', name: 'Fixture desk', unitPrice: 120, available: before.available, status: before.status },
    ]);
  });

  async function statusesOf(orderIds: readonly string[]): Promise<string[]> {
    return Promise.all(orderIds.map(async (orderId) => (await client.order(orderId)).status));
  }
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('upgrading a v1 data directory after its reservations expired', () => {
  it('given reservations held past their 15 minutes by the stopped release, when the new version opens it now, then they expire, those orders are cancelled and the stock comes back', async () => {
    const { dataDir, system, client } = await openFixture();
    try {
      const ended = await Promise.all(
        ['paying-1', 'paying-2', 'committing-1', 'releasing-1', 'placed-1'].map((orderId) =>
          client.waitForTerminal(orderId, 30_000),
        ),
      );

      expect(ended.map((order) => order.status)).toEqual([
        'CANCELLED',
        'CANCELLED',
        'CANCELLED',
        'CANCELLED',
        'COMPLETED',
      ]);
      // The expiry timer and the approved payment's commit race; either way the reason is the expiry.
      for (const order of ended.slice(0, 2)) expect(order.reasons.join()).toMatch(/expired/);
      await waitUntil(async () => (await client.stock('FIX-LAMP')).reserved === 0);
      // Sold: done-1..3 (4 lamps) before the upgrade, placed-1 (3 lamps, reserved afresh) after it.
      expect(await client.stock('FIX-LAMP')).toMatchObject({ onHand: 20 - 4 - 3, reserved: 0 });
    } finally {
      await system.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
