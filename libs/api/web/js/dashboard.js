// The operator dashboard: sign in with the operator token, then live stock with names and prices
// (GET /ops/stock-stream), the catalog listing (PUT /catalog/{sku}), alerts and purchase orders, orders and their stories, stuck orders, dead letters with replay,
// consumer lag and the live event feed (GET /ops/events), and the stock actions an operator takes.
import { api, ApiError, followEvents } from './http.js';
import { badge, h, replaceChildren, say, time } from './dom.js';

const SESSION_KEY = 'stockade.dashboard.session';
const FEED_LIMIT = 200;
const REFRESH_MS = 5_000;
const money = (amount) => (typeof amount === 'number' ? amount.toFixed(2) : '');
/** Event types after which the alerts and purchase orders are read again at once. */
const REPLENISHMENT_TYPES = new Set([
  'LowStockAlertRaised',
  'LowStockAlertCleared',
  'ReorderRequested',
  'StockReceived',
  'StockSettingsChanged',
]);

const $ = (id) => document.getElementById(id);
const dashboard = { session: undefined, replenishment: new Map(), recentOrders: [], streams: [], timer: undefined };

function restoreSession() {
  try {
    return JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null') ?? undefined;
  } catch {
    return undefined;
  }
}

const call = (path, options = {}) => api(path, { ...options, token: dashboard.session.token });

async function signIn(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  const session = { token: String(form.get('token')), operator: String(form.get('operator') || 'operator') };
  try {
    await api('/inventory/replenishment', { token: session.token });
  } catch (error) {
    say(
      $('sign-in-message'),
      error instanceof ApiError && error.status === 401
        ? 'That operator token was refused.'
        : `Cannot reach Stockade: ${error.message}`,
      'error',
    );
    return;
  }
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  open(session);
}

function signOut() {
  sessionStorage.removeItem(SESSION_KEY);
  dashboard.streams.forEach((stream) => stream.close());
  clearInterval(dashboard.timer);
  location.reload();
}

function open(session) {
  dashboard.session = session;
  $('sign-in-panel').hidden = true;
  $('app').hidden = false;
  $('sign-out').hidden = false;
  dashboard.streams.push(
    followEvents('/ops/stock-stream', {
      token: session.token,
      onEvent: ({ event, data }) => event === 'level' && showLevel(JSON.parse(data)),
      onState: showConnection,
    }),
  );
  followFeed({});
  void refreshAll();
  dashboard.timer = setInterval(() => void refreshAll(), REFRESH_MS);
}

function showConnection(state) {
  const connection = $('connection');
  connection.dataset.state = state;
  connection.textContent =
    state === 'live' ? 'live' : state === 'refused' ? 'signed out: token refused' : 'reconnecting…';
  if (state === 'refused') signOut();
}

// ---- stock ----

function showLevel(level) {
  let row = document.getElementById(`stock-${level.sku}`);
  if (!row) {
    row = h(
      'tr',
      { id: `stock-${level.sku}`, 'data-sku': level.sku },
      h('th', { scope: 'row' }, level.sku),
      h('td', { 'data-role': 'name' }),
      h('td', { class: 'num', 'data-role': 'price' }),
      h('td', { class: 'num', 'data-role': 'on-hand' }),
      h('td', { class: 'num', 'data-role': 'reserved' }),
      h('td', { class: 'num', 'data-role': 'available' }),
      h('td', { 'data-role': 'status' }),
      h('td', { 'data-role': 'alert' }),
    );
    const rows = $('stock-rows');
    const after = [...rows.children].find((other) => other.dataset.sku > level.sku);
    rows.insertBefore(row, after ?? null);
    $('sku-options').append(h('option', { value: level.sku }));
  }
  const [, name, price, onHand, reserved, available, status] = row.children;
  if (level.name !== undefined) name.textContent = level.name;
  else replaceChildren(name, h('span', { class: 'muted' }, 'not listed'));
  price.textContent = money(level.unitPrice);
  onHand.textContent = level.onHand;
  reserved.textContent = level.reserved;
  available.textContent = level.available;
  if (status.firstElementChild?.dataset.status !== level.status) replaceChildren(status, badge(level.status));
  showAlertCell(level.sku);
}

function showAlertCell(sku) {
  const cell = document.getElementById(`stock-${sku}`)?.querySelector('[data-role="alert"]');
  if (!cell) return;
  const entry = dashboard.replenishment.get(sku);
  replaceChildren(
    cell,
    entry?.lowStockAlert ? h('span', { class: 'tone-bad' }, 'low stock') : '',
    entry?.openPurchaseOrder ? h('span', { class: 'muted' }, ` ${entry.openPurchaseOrder.purchaseOrderId} open`) : '',
  );
}

async function refreshReplenishment() {
  const { items } = await call('/inventory/replenishment');
  const before = new Set(dashboard.replenishment.keys());
  dashboard.replenishment = new Map(items.map((item) => [item.sku, item]));
  replaceChildren(
    $('replenishment-rows'),
    items.length === 0
      ? h(
          'tr',
          {},
          h(
            'td',
            { colspan: 5, class: 'muted' },
            'No SKU has a threshold or a reorder policy yet: set them under Stock actions.',
          ),
        )
      : items.map((item) =>
          h(
            'tr',
            { 'data-sku': item.sku },
            h('th', { scope: 'row' }, item.sku),
            h('td', { class: 'num' }, item.available),
            h(
              'td',
              {},
              item.lowStockAlert
                ? h('span', { class: 'tone-bad', 'data-role': 'alert' }, 'LOW STOCK')
                : h('span', { class: 'muted' }, 'ok'),
            ),
            h(
              'td',
              { 'data-role': 'purchase-order' },
              item.openPurchaseOrder
                ? `${item.openPurchaseOrder.purchaseOrderId} (${item.openPurchaseOrder.quantity} units)`
                : h('span', { class: 'muted' }, 'none'),
            ),
            h('td', { class: 'muted' }, describeSettings(item.settings)),
          ),
        ),
  );
  for (const sku of new Set([...before, ...dashboard.replenishment.keys()])) showAlertCell(sku);
}

function describeSettings(settings) {
  if (!settings) return 'none';
  const parts = [];
  if (settings.lowStockThreshold !== null)
    parts.push(
      `alert at ≤ ${settings.lowStockThreshold} (clears above ${settings.lowStockThreshold + settings.alertHysteresis})`,
    );
  if (settings.reorderPoint !== null)
    parts.push(
      `reorder ${settings.reorderQuantity} at ≤ ${settings.reorderPoint}${settings.supplierId ? ` from ${settings.supplierId}` : ''}`,
    );
  return parts.join('; ') || 'off';
}

// ---- stock actions ----

function numberOrNull(form, name) {
  const value = String(form.get(name) ?? '').trim();
  return value === '' ? null : Number(value);
}

async function act(event, describe, request) {
  event.preventDefault();
  const form = new FormData(event.target);
  const sku = String(form.get('sku')).trim();
  try {
    const [path, method, body] = request(sku, form);
    const view = await call(path, { method, body });
    say($('action-message'), `${describe(sku, form)}: ${view.sku} now has ${view.available} available.`, 'ok');
    event.target.reset();
    void refreshReplenishment();
  } catch (error) {
    say($('action-message'), error instanceof ApiError ? error.details : String(error), 'error');
  }
}

function wireActions() {
  $('receive-form').addEventListener('submit', (event) =>
    act(
      event,
      (sku, form) => `Received ${form.get('quantity')} × ${sku}`,
      (sku, form) => [
        `/inventory/${encodeURIComponent(sku)}/receipts`,
        'POST',
        { quantity: Number(form.get('quantity')) },
      ],
    ),
  );
  $('adjust-form').addEventListener('submit', (event) =>
    act(
      event,
      (sku, form) => `Adjusted ${sku} by ${form.get('delta')}`,
      (sku, form) => [
        `/inventory/${encodeURIComponent(sku)}/adjustments`,
        'POST',
        { delta: Number(form.get('delta')), reason: String(form.get('reason')) },
      ],
    ),
  );
  $('listing-form').addEventListener('submit', (event) =>
    act(
      event,
      (sku, form) => `Listed ${sku} as ${String(form.get('name')).trim()} at ${money(Number(form.get('unitPrice')))}`,
      (sku, form) => [
        `/catalog/${encodeURIComponent(sku)}`,
        'PUT',
        { name: String(form.get('name')), unitPrice: Number(form.get('unitPrice')) },
      ],
    ),
  );
  $('settings-form').addEventListener('submit', (event) =>
    act(
      event,
      (sku) => `Saved the settings of ${sku}`,
      (sku, form) => {
        const supplierId = String(form.get('supplierId') ?? '').trim();
        const body = {
          lowStockThreshold: numberOrNull(form, 'lowStockThreshold'),
          reorderPoint: numberOrNull(form, 'reorderPoint'),
          reorderQuantity: numberOrNull(form, 'reorderQuantity'),
          supplierId: supplierId === '' ? null : supplierId,
        };
        return [`/inventory/${encodeURIComponent(sku)}/settings`, 'PUT', body];
      },
    ),
  );
}

// ---- orders, stuck orders, lag (from /metrics), dead letters ----

/** `name{a="x",b="y"} 12` lines of the Prometheus text format, for the few series the dashboard shows. */
function parseMetrics(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{([^}]*)\})? ([0-9.eE+-]+)$/.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/([a-z_]+)="([^"]*)"/g)].map(([, name, value]) => [name, value]),
    );
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

async function refreshMetrics() {
  // With the operator token: /metrics needs one once the deployment is closed.
  const samples = parseMetrics(await call('/metrics').catch(() => ''));
  const terminal = samples.filter((sample) => sample.name === 'stockade_orders_terminal_total');
  const compensations = samples.filter((sample) => sample.name === 'stockade_compensations_total');
  const inFlight = samples.find((sample) => sample.name === 'stockade_orders_in_flight');
  const counts = $('order-counts');
  if (terminal.length === 0 && !inFlight) {
    replaceChildren(
      counts,
      h(
        'dd',
        { class: 'muted' },
        'No order counts in this process (behind the gateway, read them from order-service /metrics).',
      ),
    );
  } else {
    replaceChildren(
      counts,
      h('dt', {}, 'In flight'),
      h('dd', { 'data-status': 'PENDING' }, inFlight?.value ?? 0),
      terminal.flatMap((sample) => [
        h('dt', {}, sample.labels.status),
        h('dd', { 'data-status': sample.labels.status }, sample.value),
      ]),
      h('dt', {}, 'Compensations'),
      h(
        'dd',
        {},
        compensations.length === 0
          ? 'none'
          : compensations.map((sample) => `${sample.labels.reason.replaceAll('_', ' ')}: ${sample.value}`).join(', '),
      ),
    );
  }
  // One row per group and topic: the partitions summed.
  const lagByConsumer = new Map();
  for (const sample of samples.filter((candidate) => candidate.name === 'stockade_consumer_lag_messages')) {
    const key = `${sample.labels.group}\u0000${sample.labels.topic}`;
    const entry = lagByConsumer.get(key) ?? { group: sample.labels.group, topic: sample.labels.topic, value: 0 };
    entry.value += sample.value;
    lagByConsumer.set(key, entry);
  }
  const lag = [...lagByConsumer.values()].map((entry) => ({
    labels: { group: entry.group, topic: entry.topic },
    value: entry.value,
  }));
  // The relays' backlog: events stored and not yet published, or in the embedded runner not yet handled by the
  // consumers of the topics handed over in memory (ADR 0031), which have no consumer lag of their own.
  for (const sample of samples.filter((candidate) => candidate.name === 'stockade_outbox_relay_lag_events'))
    lag.push({
      labels: { group: `relay ${sample.labels.relay}`, topic: 'events not yet handled' },
      value: sample.value,
    });
  replaceChildren(
    $('consumer-lag'),
    lag.length === 0
      ? h('p', { class: 'muted' }, 'No consumer lag reported by this process.')
      : h(
          'table',
          {},
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, 'Group'),
              h('th', { scope: 'col' }, 'Topic'),
              h('th', { scope: 'col', class: 'num' }, 'Lag'),
            ),
          ),
          h(
            'tbody',
            {},
            lag.map((sample) =>
              h(
                'tr',
                {},
                h('td', {}, sample.labels.group),
                h('td', {}, sample.labels.topic),
                h('td', { class: 'num' }, sample.value),
              ),
            ),
          ),
        ),
  );
}

async function refreshStuck() {
  const report = await call('/ops/stuck').catch((error) => ({ unavailable: error }));
  replaceChildren(
    $('stuck-orders'),
    report.unavailable
      ? h('li', { class: 'muted' }, 'Not available in this deployment.')
      : report.orders.length === 0
        ? h('li', { class: 'muted' }, 'None.')
        : report.orders.map((order) =>
            h(
              'li',
              {},
              orderLink(order.orderId),
              ` ${order.phase}, waiting for ${order.waitingFor}`,
              order.overdueMs
                ? h('span', { class: 'tone-bad' }, ` (${Math.round(order.overdueMs / 1000)} s overdue)`)
                : '',
            ),
          ),
  );
}

async function refreshDeadLetters() {
  const answer = await call('/ops/dlq').catch((error) => ({ unavailable: error }));
  replaceChildren(
    $('dead-letters'),
    answer.unavailable
      ? h('li', { class: 'muted' }, 'Not available in this deployment.')
      : answer.deadLetters.length === 0
        ? h('li', { class: 'muted' }, 'None.')
        : answer.deadLetters.map((letter) =>
            h(
              'li',
              { 'data-id': letter.id },
              h('code', {}, letter.originalTopic),
              ` key ${letter.key ?? '(none)'}: ${letter.error} `,
              letter.replayed
                ? h('span', { class: 'muted' }, `replayed by ${letter.replayed.by}`)
                : h(
                    'button',
                    {
                      type: 'button',
                      class: 'secondary',
                      onclick: () => replay(letter.id),
                      'aria-label': `Replay dead letter ${letter.id}`,
                    },
                    'Replay',
                  ),
            ),
          ),
  );
}

async function replay(id) {
  try {
    const result = await call(`/ops/dlq/${encodeURIComponent(id)}/replay`, {
      method: 'POST',
      body: { by: dashboard.session.operator },
    });
    say(
      $('dlq-message'),
      `Dead letter ${id}: ${result.outcome}${result.error ? ` (${result.error})` : ''}`,
      result.outcome === 'failed' ? 'error' : 'ok',
    );
  } catch (error) {
    say($('dlq-message'), error instanceof ApiError ? error.details : String(error), 'error');
  }
  void refreshDeadLetters();
}

function orderLink(orderId) {
  return h('button', { type: 'button', class: 'link', onclick: () => showStory(orderId) }, orderId);
}

async function showStory(orderId) {
  const target = $('order-story');
  try {
    const story = await call(`/ops/orders/${encodeURIComponent(orderId)}`);
    replaceChildren(
      target,
      h('h3', {}, `Order ${story.orderId}: ${story.outcome ?? story.phase}`),
      story.why ? h('p', { class: 'tone-bad' }, story.why) : '',
      h(
        'ol',
        { class: 'feed' },
        story.events.map((event) =>
          h('li', { class: `tone-${event.tone}` }, time(event.recordedAt), ` ${event.summary}`),
        ),
      ),
    );
  } catch (error) {
    replaceChildren(
      target,
      h('p', { 'data-tone': 'error' }, error instanceof ApiError ? error.details : String(error)),
    );
  }
}

// ---- live event feed ----

function followFeed(filter) {
  dashboard.feed?.close();
  replaceChildren($('feed'));
  const query = new URLSearchParams(Object.entries(filter).filter(([, value]) => value));
  dashboard.feed = followEvents(`/ops/events${query.size > 0 ? `?${query}` : ''}`, {
    token: dashboard.session.token,
    onEvent: ({ event, data }) => event === 'event' && showEvent(JSON.parse(data)),
  });
}

function showEvent(event) {
  const feed = $('feed');
  feed.prepend(
    h(
      'li',
      { class: `tone-${event.tone}`, 'data-type': event.type },
      time(event.recordedAt),
      ' ',
      h('strong', {}, event.type),
      ` ${event.summary}`,
    ),
  );
  while (feed.children.length > FEED_LIMIT) feed.lastElementChild.remove();
  if (event.orderId && !dashboard.recentOrders.includes(event.orderId)) {
    dashboard.recentOrders = [event.orderId, ...dashboard.recentOrders].slice(0, 10);
    replaceChildren(
      $('recent-orders'),
      dashboard.recentOrders.map((orderId) => h('li', {}, orderLink(orderId))),
    );
  }
  if (REPLENISHMENT_TYPES.has(event.type)) void refreshReplenishment();
}

async function refreshAll() {
  await Promise.allSettled([refreshReplenishment(), refreshMetrics(), refreshStuck(), refreshDeadLetters()]);
}

$('sign-in').addEventListener('submit', signIn);
$('sign-out').addEventListener('click', signOut);
$('order-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void showStory(String(new FormData(event.target).get('orderId')).trim());
});
$('feed-filter').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  followFeed({
    sku: String(form.get('sku') ?? '').trim(),
    order: String(form.get('order') ?? '').trim(),
    type: String(form.get('type') ?? '').trim(),
  });
});
wireActions();
const saved = restoreSession();
if (saved) open(saved);
