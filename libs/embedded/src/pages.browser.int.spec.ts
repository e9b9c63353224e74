import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../../tools/browser/chromium';
import { OPERATOR_TOKEN, startTestSystem } from './testing/test-system';

jest.setTimeout(60_000);

/** docs/img with UPDATE_SCREENSHOTS=1 (the README shows them); a temporary folder otherwise, so a test run changes no tracked file. */
const SCREENSHOTS =
  process.env['UPDATE_SCREENSHOTS'] === '1'
    ? join(__dirname, '..', '..', '..', 'docs', 'img')
    : join(tmpdir(), 'stockade-screenshots');
mkdirSync(SCREENSHOTS, { recursive: true });

describe('the pages in headless Chromium (embedded)', () => {
  let browser: Browser;
  let sut: Awaited<ReturnType<typeof startTestSystem>>;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    // The supplier takes 2 s, long enough to see the alert and the purchase order before the delivery clears them.
    sut = await startTestSystem({ STOCKADE_SUPPLIER_DELAY_MS: '2000', STOCKADE_SUPPLIER_PARTIAL_RATE: '0' });
    // The shop's catalog: what /shop offers, at these prices (listed before any stock arrives).
    for (const [sku, name, unitPrice] of [
      ['DESK-LAMP', 'Desk lamp', 39],
      ['ERGO-CHAIR', 'Ergonomic chair', 189],
      ['MUG', 'Mug', 9.5],
      ['POSTER', 'Poster', 15],
    ] as const) {
      await sut.client.setListing(sku, { name, unitPrice });
    }
  });

  afterAll(async () => {
    await browser?.close();
    await sut?.stop();
  });

  async function newPage(width = 1200): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  }

  async function signedInDashboard(): Promise<Page> {
    const page = await newPage();
    await page.goto(`${sut.system.url}/dashboard`);
    await page.getByLabel('Operator token').fill(OPERATOR_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#app').waitFor({ state: 'visible' });
    return page;
  }

  const stockRow = (page: Page, sku: string) => page.locator(`#stock-rows tr[data-sku="${sku}"]`);
  const stockCell = (page: Page, sku: string, role: string) => stockRow(page, sku).locator(`[data-role="${role}"]`);

  it('given the dashboard, when an operator signs in with a wrong token, then it says so; with the operator token the live stock table loads', async () => {
    await sut.client.receiveStock('DASH-LAMP', 6);
    const page = await newPage();
    await page.goto(`${sut.system.url}/dashboard`);
    await page.getByLabel('Operator token').fill('not-the-operator-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.getByRole('alert'), 'That operator token was refused.');

    await page.getByLabel('Operator token').fill(OPERATOR_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(stockRow(page, 'DASH-LAMP').locator('.badge'), 'IN STOCK');
    expect(await stockCell(page, 'DASH-LAMP', 'available').textContent()).toBe('6');
    expect(await stockCell(page, 'DASH-LAMP', 'name').textContent()).toBe('not listed');
    await expectText(stockCell(page, 'MUG', 'name'), 'Mug');
    expect(await stockCell(page, 'MUG', 'price').textContent()).toBe('9.50');
    // The relays' backlog is on the lag table: the handed-over topics (ADR 0031) have no consumer lag of their own.
    await expectText(page.locator('#consumer-lag'), 'relay orders-outbox');
    await expectText(page.locator('#consumer-lag'), 'relay inventory-outbox');
    await page.close();
  });

  it('given a signed-in dashboard, when a checkout is made through the API, then it appears in the live feed and moves the badge', async () => {
    const page = await signedInDashboard();
    await expectText(stockRow(page, 'DASH-LAMP').locator('.badge'), 'IN STOCK');

    await sut.client.checkout({
      checkoutId: 'dash-order-1',
      customerId: 'ann',
      lines: [{ sku: 'DASH-LAMP', quantity: 1, unitPrice: 39 }],
    });

    await expectText(stockRow(page, 'DASH-LAMP').locator('.badge'), 'LIMITED');
    await page.locator('#feed li', { hasText: 'dash-order-1' }).first().waitFor();
    await page.getByRole('button', { name: 'dash-order-1' }).first().click();
    await page.locator('#order-story h3', { hasText: 'Order dash-order-1' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard.png'), fullPage: true });
    await page.close();
  });

  it('given thresholds set on the dashboard, when checkouts drain the SKU past them, then the alert and a purchase order show, and the simulated supplier delivery clears both', async () => {
    await sut.client.receiveStock('DASH-BULB', 5);
    const page = await signedInDashboard();
    const settings = page.locator('#settings-form');
    await settings.getByLabel('SKU').fill('DASH-BULB');
    await settings.getByLabel('Low-stock threshold').fill('2');
    await settings.getByLabel('Reorder point').fill('1');
    await settings.getByLabel('Reorder quantity').fill('10');
    await settings.getByLabel('Supplier').fill('ACME');
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await expectText(page.locator('#action-message'), 'Saved the settings of DASH-BULB');

    for (const buyer of ['b1', 'b2', 'b3', 'b4']) {
      await sut.client.checkout({
        checkoutId: `dash-bulb-${buyer}`,
        customerId: buyer,
        lines: [{ sku: 'DASH-BULB', quantity: 1, unitPrice: 3 }],
      });
    }

    const row = page.locator('#replenishment-rows tr[data-sku="DASH-BULB"]');
    await expectText(row.locator('[data-role="alert"]'), 'LOW STOCK');
    await expectText(row.locator('[data-role="purchase-order"]'), 'PO-DASH-BULB-0001 (10 units)');
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-reorder.png'), fullPage: true });

    // The supplier delivers 2 s after the order: 1 + 10 available, above threshold + hysteresis.
    await expectText(row.locator('[data-role="purchase-order"]'), 'none', 15_000);
    await expectText(row.locator('td').nth(1), 'ok');
    await expectText(stockCell(page, 'DASH-BULB', 'available'), '11');
    await page.close();
  });

  it("given the storefront, when another shopper buys while my cart asks for 3 lamps, then the badge and the bound move live and my checkout shows the short line in the shop's words", async () => {
    await sut.client.receiveStock('DESK-LAMP', 3);
    await sut.client.receiveStock('POSTER', 1);
    const page = await newPage(420);
    await page.goto(`${sut.system.url}/shop`);
    const lamp = page.locator('#product-DESK-LAMP');
    await expectText(lamp.locator('[data-role="available"]'), '3 available');
    const more = lamp.getByRole('button', { name: 'One more Desk lamp' });
    for (let click = 0; click < 3; click++) {
      await more.click();
      await expectText(lamp.locator('output'), String(click + 1));
    }
    expect(await more.isDisabled()).toBe(true);

    await sut.client.checkout({
      checkoutId: 'shop-other-1',
      customerId: 'other',
      lines: [{ sku: 'DESK-LAMP', quantity: 1, unitPrice: 39 }],
    });
    await expectText(lamp.locator('[data-role="available"]'), '2 available');

    await page.getByRole('button', { name: 'Check out' }).click();
    await expectText(page.locator('#order-status'), 'Not placed: some items are short.');
    await expectText(page.locator('#order-reasons li').first(), 'Desk lamp: only 2 available, 3 requested');
    await page.screenshot({ path: join(SCREENSHOTS, 'shop-rejected.png'), fullPage: true });

    // Another shopper buys the last poster: the badge turns OUT OF STOCK and + is disabled.
    const poster = page.locator('#product-POSTER');
    await expectText(poster.locator('.badge'), 'LIMITED');
    await sut.client.checkout({
      checkoutId: 'shop-other-2',
      customerId: 'other',
      lines: [{ sku: 'POSTER', quantity: 1, unitPrice: 15 }],
    });
    await expectText(poster.locator('.badge'), 'OUT OF STOCK');
    expect(await poster.getByRole('button', { name: 'One more Poster' }).isDisabled()).toBe(true);
    await page.close();
  });

  it('given the shop open, when the operator changes a price on the dashboard, then the stock table and the shop show it live and the cart is priced with it', async () => {
    await sut.client.receiveStock('ERGO-CHAIR', 4);
    const shop = await newPage();
    await shop.goto(`${sut.system.url}/shop`);
    const chair = shop.locator('#product-ERGO-CHAIR');
    await expectText(chair.locator('[data-role="price"]'), '189.00');
    await expectText(chair.locator('[data-role="available"]'), '4 available');

    const dashboard = await signedInDashboard();
    const listing = dashboard.locator('#listing-form');
    await listing.getByLabel('SKU').fill('ERGO-CHAIR');
    await listing.getByLabel('Name').fill('Ergonomic chair');
    await listing.getByLabel('Price').fill('179.99');
    await listing.getByRole('button', { name: 'Save listing' }).click();
    await expectText(dashboard.locator('#action-message'), 'Listed ERGO-CHAIR as Ergonomic chair at 179.99');
    await expectText(stockCell(dashboard, 'ERGO-CHAIR', 'price'), '179.99');

    await expectText(chair.locator('[data-role="price"]'), '179.99');
    await chair.getByRole('button', { name: 'One more Ergonomic chair' }).click();
    await expectText(shop.locator('#cart-total'), '179.99');
    await shop.getByRole('button', { name: 'Check out' }).click();
    await expectText(shop.locator('#order-status'), 'Confirmed. Thank you!');
    const orderId = (await shop.locator('#order-id').textContent()) as string;
    expect(await sut.client.order(orderId)).toMatchObject({
      lines: [{ sku: 'ERGO-CHAIR', quantity: 1, unitPrice: 179.99 }],
      total: 179.99,
    });
    await dashboard.close();
    await shop.close();
  });

  it('given a cart within what is available, when the shopper checks out, then the order status changes live until it is confirmed', async () => {
    await sut.client.receiveStock('MUG', 10);
    const page = await newPage();
    await page.goto(`${sut.system.url}/shop`);
    const mug = page.locator('#product-MUG');
    await expectText(mug.locator('[data-role="available"]'), '10 available');
    await mug.getByRole('button', { name: 'One more Mug' }).click();
    await mug.getByRole('button', { name: 'One more Mug' }).click();
    await expectText(page.locator('#cart-total'), '19.00');
    await page.getByRole('button', { name: 'Check out' }).click();
    await expectText(page.locator('#order-status'), 'Confirmed. Thank you!');
    await expectText(mug.locator('[data-role="available"]'), '8 available');
    await page.screenshot({ path: join(SCREENSHOTS, 'shop.png'), fullPage: true });
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});

describe('the pages of a closed deployment in headless Chromium (embedded, API and upstream tokens)', () => {
  const WEB = 'web-storefront-Xq7LmZ2pW9kR4tN8';
  let browser: Browser;
  let sut: Awaited<ReturnType<typeof startTestSystem>>;

  beforeAll(async () => {
    browser = await launchChromium();
    sut = await startTestSystem({
      STOCKADE_UPSTREAM_TOKENS: `web=${WEB}`,
      STOCKADE_API_TOKEN: 'api-storefront-Hv3JcR8sQ1mY6wPz',
    });
    await sut.client.setListing('DESK-LAMP', { name: 'Desk lamp', unitPrice: 39 });
    await sut.client.receiveStock('DESK-LAMP', 5);
  });

  afterAll(async () => {
    await browser?.close();
    await sut?.stop();
  });

  it("given a shop that needs a token, when the storefront signs in with a wrong one, then it says so; with web's token the catalog loads and the order is web's", async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${sut.system.url}/shop`);
    await page.getByLabel('Storefront token').fill('not-a-token-of-this-shop');
    await page.getByRole('button', { name: 'Open the shop' }).click();
    await expectText(page.locator('#sign-in-message'), 'That storefront token was refused.');

    await page.getByLabel('Storefront token').fill(WEB);
    await page.getByRole('button', { name: 'Open the shop' }).click();
    const lamp = page.locator('#product-DESK-LAMP');
    await expectText(lamp.locator('[data-role="available"]'), '5 available');
    await lamp.getByRole('button', { name: 'One more Desk lamp' }).click();
    await expectText(page.locator('#cart-total'), '39.00');
    await page.getByRole('button', { name: 'Check out' }).click();
    await expectText(page.locator('#order-status'), 'Confirmed. Thank you!');
    // A channel's cart and order live in its namespace (ADR 0021).
    expect(await page.locator('#order-id').textContent()).toMatch(/^web:/);
    expect(errors).toEqual([]);
    await page.close();
  });
});

/** Waits until the element's text contains `text` (the pages update live, so assertions wait). */
async function expectText(locator: ReturnType<Page['locator']>, text: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    last =
      (await locator
        .first()
        .textContent({ timeout: Math.max(1, deadline - Date.now()) })
        .catch(() => '')) ?? '';
    if (last.includes(text)) return;
    if (Date.now() > deadline) throw new Error(`expected "${text}" in ${locator}, last saw "${last}"`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
