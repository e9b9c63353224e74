// The demo storefront: the catalog's products (GET /catalog) with live badges and prices (the
// WebSocket /inventory/socket, or GET /inventory/stream where a socket cannot open), a cart on the
// carts API whose quantities are bounded by what is available and whose prices and total are the
// server's, checkout, and the order's status until it is final, with each short line of a rejected
// checkout in the shop's words.
import { api, ApiError } from './http.js';
import { followLevels } from './live-levels.js';
import { badge, h, replaceChildren, say } from './dom.js';

const CART_KEY = 'stockade.shop.cartId';
/** A closed deployment's storefront token (the API token or a channel's), kept for this tab only. */
const TOKEN_KEY = 'stockade.shop.token';
/** Live streams follow at most this many SKUs (the API's limit): the shop shows the first page of the catalog. */
const MAX_PRODUCTS = 100;
const money = (amount) => (typeof amount === 'number' ? amount.toFixed(2) : '–');

const shop = {
  products: [],
  levels: new Map(),
  quantities: new Map(),
  /** The cart as the server last showed it: its lines' prices and total are the catalog's, never the page's. */
  cart: undefined,
  cartId: sessionStorage.getItem(CART_KEY) ?? undefined,
  token: sessionStorage.getItem(TOKEN_KEY) ?? undefined,
  busy: false,
};

/** Every call of the shop goes with its token, when the deployment needs one. */
const call = (path, options = {}) => api(path, { ...options, token: shop.token });

const $ = (id) => document.getElementById(id);

async function start() {
  let catalog;
  try {
    catalog = await call(`/catalog?limit=${MAX_PRODUCTS}`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401)
      return askForToken(shop.token ? 'That storefront token was refused.' : '');
    throw error;
  }
  $('sign-in-panel').hidden = true;
  shop.products = catalog.items;
  for (const { sku, available, status } of catalog.items) shop.levels.set(sku, { sku, available, status });
  await restoreCart();
  render();
  $('checkout').addEventListener('click', checkout);
  if (shop.products.length === 0) return;
  followLevels(
    shop.products.map((product) => product.sku),
    {
      token: shop.token,
      onLevel: (level) => {
        shop.levels.set(level.sku, level);
        if (repriced(level) && shop.quantities.has(level.sku)) void refreshCart();
        renderProduct(level.sku);
      },
      onState: (state, transport) => {
        const connection = $('connection');
        connection.dataset.state = state;
        connection.dataset.transport = transport;
        connection.textContent =
          state === 'live' ? 'live stock' : state === 'refused' ? 'stock updates refused' : 'reconnecting…';
      },
    },
  );
}

/** A level carries the SKU's listing: a new name or price updates the product (true when the price changed). */
function repriced(level) {
  const product = productOf(level.sku);
  if (!product || level.unitPrice === undefined) return false;
  const changed = product.unitPrice !== level.unitPrice;
  product.unitPrice = level.unitPrice;
  product.name = level.name ?? product.name;
  return changed;
}

/** A cart from an earlier visit in this tab, if it is still open. */
async function restoreCart() {
  if (!shop.cartId) return;
  try {
    const cart = await call(`/carts/${encodeURIComponent(shop.cartId)}`);
    if (cart.status !== 'OPEN') throw new Error('not open');
    showCart(cart);
  } catch {
    newCart();
  }
}

async function refreshCart() {
  if (!shop.cartId) return;
  showCart(await call(`/carts/${encodeURIComponent(shop.cartId)}`).catch(() => shop.cart));
  renderCart();
}

function showCart(cart) {
  shop.cart = cart;
  shop.quantities.clear();
  for (const line of cart?.lines ?? []) shop.quantities.set(line.sku, line.quantity);
}

function newCart() {
  shop.cartId = undefined;
  sessionStorage.removeItem(CART_KEY);
  showCart(undefined);
}

function productOf(sku) {
  return shop.products.find((product) => product.sku === sku);
}

function nameOf(sku) {
  return productOf(sku)?.name ?? sku;
}

function render() {
  if (shop.products.length === 0)
    replaceChildren(
      $('products'),
      h(
        'li',
        { class: 'muted' },
        'Nothing is for sale yet: an operator lists products with PUT /catalog/{sku} (or on the dashboard).',
      ),
    );
  else if ($('products').children.length === 0)
    replaceChildren(
      $('products'),
      shop.products.map((product) => productCard(product)),
    );
  for (const product of shop.products) renderProduct(product.sku);
  renderCart();
}

/** Built once; live updates change its parts in place, so keyboard focus stays where it was. */
function productCard(product) {
  const titleId = `title-${product.sku}`;
  return h(
    'li',
    { class: 'product', id: `product-${product.sku}`, 'data-sku': product.sku },
    h('h3', { id: titleId }, product.name),
    h(
      'div',
      {},
      h('span', { 'data-role': 'price' }, money(product.unitPrice)),
      ' ',
      h('span', { 'data-role': 'badge' }, h('span', { class: 'muted' }, 'checking stock…')),
    ),
    h('div', { class: 'muted', 'data-role': 'available' }),
    h(
      'div',
      { class: 'qty', role: 'group', 'aria-labelledby': titleId },
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          'data-role': 'fewer',
          'aria-label': `One fewer ${product.name}`,
          onclick: () => setQuantity(product.sku, (shop.quantities.get(product.sku) ?? 0) - 1),
        },
        '−',
      ),
      h('output', { 'data-role': 'quantity', 'aria-live': 'polite', 'aria-label': `${product.name} in cart` }, 0),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          'data-role': 'more',
          'aria-label': `One more ${product.name}`,
          onclick: () => setQuantity(product.sku, (shop.quantities.get(product.sku) ?? 0) + 1),
        },
        '+',
      ),
    ),
  );
}

function renderProduct(sku) {
  const item = document.getElementById(`product-${sku}`);
  if (!item) return;
  const part = (role) => item.querySelector(`[data-role="${role}"]`);
  const level = shop.levels.get(sku);
  const available = level?.available ?? 0;
  const quantity = shop.quantities.get(sku) ?? 0;
  const product = productOf(sku);
  part('price').textContent = money(product?.unitPrice);
  if (item.querySelector('h3').textContent !== product?.name)
    item.querySelector('h3').textContent = product?.name ?? sku;
  if (level && part('badge').firstElementChild?.dataset.status !== level.status)
    replaceChildren(part('badge'), badge(level.status));
  part('available').textContent = level ? (available > 0 ? `${available} available` : 'none available right now') : '';
  part('quantity').textContent = String(quantity);
  part('fewer').disabled = quantity <= 0 || shop.busy;
  part('more').disabled = quantity >= available || shop.busy;
}

/** The cart as the server priced it: each line at the catalog's price, and the server's total. */
function renderCart() {
  const lines = shop.cart?.lines ?? [];
  replaceChildren(
    $('cart-lines'),
    lines.length === 0
      ? h('tr', {}, h('td', { colspan: 3, class: 'muted' }, 'Your cart is empty.'))
      : lines.map((line) =>
          h(
            'tr',
            {},
            h('td', {}, line.name ?? nameOf(line.sku)),
            h('td', { class: 'num' }, line.quantity),
            h('td', { class: 'num' }, money(line.lineTotal)),
          ),
        ),
  );
  $('cart-total').textContent = money(shop.cart?.total ?? 0);
  $('checkout').disabled = lines.length === 0 || shop.busy;
}

async function cartId() {
  if (shop.cartId) return shop.cartId;
  const cart = await call('/carts', { method: 'POST', body: {} });
  shop.cartId = cart.cartId;
  sessionStorage.setItem(CART_KEY, cart.cartId);
  return cart.cartId;
}

async function setQuantity(sku, quantity) {
  const message = $('cart-message');
  try {
    const id = await cartId();
    const path = `/carts/${encodeURIComponent(id)}/items/${encodeURIComponent(sku)}`;
    // Only the quantity: the price is the catalog's, and the cart comes back priced by the server.
    showCart(
      quantity <= 0 ? await call(path, { method: 'DELETE' }) : await call(path, { method: 'PUT', body: { quantity } }),
    );
    say(message, '');
  } catch (error) {
    say(message, error instanceof ApiError ? inShopWords(error.details) : String(error), 'error');
  }
  renderProduct(sku);
  renderCart();
}

/** The server names SKUs ("DESK-LAMP: only 2 available, 3 requested"); the shop names products. */
function inShopWords(text) {
  return shop.products.reduce((words, product) => words.replaceAll(`${product.sku}:`, `${product.name}:`), text);
}

async function checkout() {
  const message = $('cart-message');
  shop.busy = true;
  render();
  try {
    const { orderId } = await call(`/carts/${encodeURIComponent(await cartId())}/checkout`, {
      method: 'POST',
      body: {},
    });
    say(message, '');
    await followOrder(orderId);
  } catch (error) {
    say(message, error instanceof ApiError ? inShopWords(error.details) : String(error), 'error');
  } finally {
    shop.busy = false;
    render();
  }
}

const STATUS_TEXT = {
  PENDING: 'Reserving your items and taking payment…',
  COMPLETED: 'Confirmed. Thank you!',
  REJECTED: 'Not placed: some items are short.',
  CANCELLED: 'Cancelled.',
};

/** The order's status as it changes, until it is final. */
async function followOrder(orderId) {
  $('order').hidden = false;
  $('order-id').textContent = orderId;
  const status = $('order-status');
  for (let delayMs = 200; ; delayMs = Math.min(delayMs * 1.5, 1_000)) {
    const order = await call(`/orders/${encodeURIComponent(orderId)}`).catch(() => undefined);
    if (order) {
      status.textContent = STATUS_TEXT[order.status] ?? order.status;
      status.dataset.status = order.status;
      status.className = `order-status ${order.status === 'COMPLETED' ? 'tone-good' : order.status === 'PENDING' ? '' : 'tone-bad'}`;
      replaceChildren(
        $('order-reasons'),
        order.reasons.map((reason) => h('li', { class: 'short-line' }, inShopWords(reason))),
      );
      if (order.status === 'COMPLETED') newCart();
      if (order.status !== 'PENDING') return;
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}

/** A closed deployment: the storefront signs in with its token, then the shop starts. */
function askForToken(message) {
  $('sign-in-panel').hidden = false;
  $('connection').dataset.state = 'refused';
  $('connection').textContent = 'needs a storefront token';
  say($('sign-in-message'), message, message ? 'error' : undefined);
}

$('sign-in').addEventListener('submit', (event) => {
  event.preventDefault();
  shop.token = String(new FormData(event.target).get('token'));
  sessionStorage.setItem(TOKEN_KEY, shop.token);
  start().catch(failedToStart);
});

const failedToStart = (error) => say($('cart-message'), `The shop could not start: ${error.message}`, 'error');
start().catch(failedToStart);
