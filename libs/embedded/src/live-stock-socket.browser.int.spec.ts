import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../../tools/browser/chromium';
import { startTestSystem } from './testing/test-system';

jest.setTimeout(60_000);

describe('the shop follows live stock over a WebSocket in headless Chromium (embedded)', () => {
  const API_TOKEN = 'ws-browser-api-token-0123456789';
  let browser: Browser;
  let sut: Awaited<ReturnType<typeof startTestSystem>>;

  beforeAll(async () => {
    browser = await launchChromium();
    // Closed: the shop signs in with its token, which the page presents on the socket as a subprotocol.
    sut = await startTestSystem({ STOCKADE_API_TOKEN: API_TOKEN });
    await sut.client.setListing('SOCK-LAMP', { name: 'Socket lamp', unitPrice: 25 });
    await sut.client.receiveStock('SOCK-LAMP', 3);
  });

  afterAll(async () => {
    await browser?.close();
    await sut?.stop();
  });

  async function signedInShop(page: Page): Promise<void> {
    await page.goto(`${sut.system.url}/shop`);
    await page.getByLabel('Storefront token').fill(API_TOKEN);
    await page.getByRole('button', { name: 'Open the shop' }).click();
  }

  it('given the signed-in shop, then it follows stock over the WebSocket, and a stock receipt moves the product live', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));
    await signedInShop(page);
    const connection = page.locator('#connection');
    await connection.and(page.locator('[data-state="live"][data-transport="websocket"]')).waitFor();
    const lamp = page.locator('#product-SOCK-LAMP');
    await lamp.locator('[data-role="available"]', { hasText: '3 available' }).waitFor();

    await sut.client.receiveStock('SOCK-LAMP', 5);
    await lamp.locator('[data-role="available"]', { hasText: '8 available' }).waitFor();
    await lamp.locator('.badge', { hasText: 'IN STOCK' }).waitFor();
    // The token travelled as a subprotocol, never in the URL.
    expect(sockets).toEqual([`${sut.system.url.replace('http', 'ws')}/inventory/socket`]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('given a network that does not pass WebSocket upgrades, then the shop falls back to Server-Sent Events and still updates live', async () => {
    const page = await browser.newPage();
    // As a proxy that drops upgrades would: the socket never opens.
    // (A script as text: it runs in the page, and the project's TypeScript has no DOM types.)
    await page.addInitScript(`{
      const Real = window.WebSocket;
      window.WebSocket = class extends Real {
        constructor(url, protocols) {
          super(String(url).replace('/inventory/socket', '/no-socket-here'), protocols);
        }
      };
    }`);
    await signedInShop(page);
    await page.locator('#connection[data-state="live"][data-transport="sse"]').waitFor();
    const lamp = page.locator('#product-SOCK-LAMP');
    const { available } = await sut.client.receiveStock('SOCK-LAMP', 1);
    await lamp.locator('[data-role="available"]', { hasText: `${available} available` }).waitFor();
    await page.close();
  });
});
