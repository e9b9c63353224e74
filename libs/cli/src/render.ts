import pc from 'picocolors';
import type {
  CheckReport,
  DeadLetter,
  DeadLetterSummary,
  OperatorEvent,
  OrderStory,
  ReplayResult,
  StockStory,
  StuckReport,
} from '@stockade/operations';

export type Colours = Pick<typeof pc, 'green' | 'red' | 'dim' | 'bold' | 'yellow'>;
export const colours = (enabled: boolean): Colours => (enabled ? pc : pc.createColors(false));

/** 1500 → "1.5 s", 90000 → "1 min 30 s". */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1_000) return `${Math.round(abs)} ms`;
  if (abs < 60_000) return `${(abs / 1_000).toFixed(abs < 10_000 ? 1 : 0)} s`;
  const minutes = Math.floor(abs / 60_000);
  if (minutes < 60) return `${minutes} min ${Math.round((abs % 60_000) / 1_000)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** "30s", "5m", "1h", "250ms" or a bare number of milliseconds. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) return undefined;
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[(match[2] ?? 'ms') as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(match[1]) * unit);
}

const relative = (iso: string, now: number): string => {
  const delta = Date.parse(iso) - now;
  return delta >= 0 ? `in ${formatDuration(delta)}` : `${formatDuration(delta)} ago`;
};

export function renderEvent(event: OperatorEvent, c: Colours): string {
  const tone = event.tone === 'good' ? c.green : event.tone === 'bad' ? c.red : (text: string) => text;
  return `${c.dim(event.recordedAt)}  ${event.source.padEnd(9)} ${c.dim(`${event.stream}@${event.version}`)}  ${tone(event.type)}  ${event.summary}`;
}

export function renderOrderStory(story: OrderStory, c: Colours, now = Date.now()): string {
  const state = story.terminal
    ? (story.outcome === 'completed' ? c.green : c.red)(story.outcome?.toUpperCase() ?? '')
    : c.yellow(`in flight: ${story.phase}`);
  const lines = [
    `${c.bold(`order ${story.orderId}`)}  ${state}  customer ${story.customerId}, placed ${story.placedAt}${story.endedAt ? `, ended ${story.endedAt}` : ''}`,
  ];
  if (story.why) lines.push(`why: ${story.why}`);
  if (story.deadlines.paymentTimeoutAt)
    lines.push(
      `payment answer due ${relative(story.deadlines.paymentTimeoutAt, now)} (${story.deadlines.paymentTimeoutAt})`,
    );
  if (story.deadlines.reservationExpiresAt)
    lines.push(
      `reservation expires ${relative(story.deadlines.reservationExpiresAt, now)} (${story.deadlines.reservationExpiresAt})`,
    );
  lines.push('', ...story.events.map((event) => renderEvent(event, c)));
  return lines.join('\n');
}

export function renderStockStory(story: StockStory, c: Colours, now = Date.now()): string {
  const badge =
    story.status === 'IN_STOCK'
      ? c.green(story.status)
      : story.status === 'LIMITED'
        ? c.yellow(story.status)
        : c.red(story.status);
  const lines = [
    `${c.bold(story.sku)}  ${badge}  on hand ${story.onHand}, reserved ${story.reserved}, available ${story.available}`,
  ];
  if (story.reservations.length > 0) {
    lines.push('', 'live reservations:');
    for (const reservation of story.reservations)
      lines.push(
        `  ${reservation.checkoutId}  ${reservation.quantity}  expires ${reservation.expiresAt === 'unknown' ? 'unknown' : relative(reservation.expiresAt, now)}`,
      );
  }
  if (story.movements.length > 0)
    lines.push('', 'last movements:', ...story.movements.map((event) => `  ${renderEvent(event, c)}`));
  return lines.join('\n');
}

export function renderStuck(report: StuckReport, c: Colours): string {
  if (report.orders.length === 0)
    return `no order stuck (older than ${formatDuration(report.olderThanMs)} or past its deadline)`;
  const rows = report.orders.map((order) => [
    order.orderId,
    order.phase,
    order.waitingFor,
    formatDuration(order.ageMs),
    order.overdueMs === undefined ? '' : c.red(`${formatDuration(order.overdueMs)} overdue`),
  ]);
  return [`${report.orders.length} order(s) stuck:`, ...rows.map((row) => row.join('  '))].join('\n');
}

export function renderCheck(report: CheckReport, c: Colours): string {
  const lines = [
    `checked ${report.skus} SKUs and ${report.orders} orders at ${report.checkedAt}: ${report.ok ? c.green('the books balance') : c.red(`${report.findings.length} finding(s)`)}`,
  ];
  for (const finding of report.findings) {
    const where = finding.firstBadEvent
      ? ` [first bad event: ${finding.firstBadEvent.stream}@${finding.firstBadEvent.version} ${finding.firstBadEvent.type}, position ${finding.firstBadEvent.position}]`
      : '';
    lines.push(
      `  ${c.red(finding.kind)}  ${finding.sku ?? finding.orderId ?? ''}: ${finding.message}${where}${finding.repair ? c.dim(`  (repairable: ${finding.repair.description})`) : ''}`,
    );
  }
  for (const repair of report.repaired ?? []) lines.push(`  ${c.green('repaired')}  ${repair.description}`);
  return lines.join('\n');
}

export function renderDeadLetters(letters: readonly DeadLetterSummary[], c: Colours): string {
  if (letters.length === 0) return 'no dead letters';
  return letters
    .map((letter) => {
      const origin = `${letter.originalTopic}${letter.originalPartition === undefined ? '' : `[${letter.originalPartition}]`}${letter.originalOffset ? `@${letter.originalOffset}` : ''}`;
      const state = letter.replayed
        ? c.green(`replayed by ${letter.replayed.by} at ${letter.replayed.at}`)
        : c.red('not replayed');
      return `${letter.id}  key ${letter.key}  from ${origin}  attempts ${letter.attempts ?? '?'}  ${state}\n    ${letter.error}`;
    })
    .join('\n');
}

export function renderDeadLetter(letter: DeadLetter, c: Colours): string {
  return [
    renderDeadLetters([letter], c),
    'headers:',
    ...Object.entries(letter.headers).map(([name, value]) => `  ${name}: ${value}`),
    `value (${Buffer.from(letter.valueBase64, 'base64').length} bytes):`,
    letter.valueText ?? c.dim('(not UTF-8 text)'),
    c.dim(`base64: ${letter.valueBase64}`),
  ].join('\n');
}

export function renderReplays(results: readonly ReplayResult[], c: Colours): string {
  if (results.length === 0) return 'nothing to replay';
  return results
    .map((result) => {
      if (result.outcome === 'replayed') return `${c.green('replayed')}  ${result.id}`;
      if (result.outcome === 'already-replayed')
        return `${c.yellow('already replayed')}  ${result.id}${result.by ? ` by ${result.by} at ${result.at}` : ''}`;
      return `${c.red('failed')}  ${result.id}: ${result.error ?? ''}`;
    })
    .join('\n');
}
