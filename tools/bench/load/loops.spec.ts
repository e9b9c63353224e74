import type { CheckoutRequest } from '@stockade/contracts';
import { runClosedLoop } from './closed-loop';
import type { Ingress } from './ingress';
import { runOpenLoop } from './open-loop';

const checkout = (id: string): CheckoutRequest => ({
  checkoutId: id,
  customerId: 'c',
  lines: [{ sku: 'S', quantity: 1, unitPrice: 1 }],
});
const deliveries = ['a', 'b', 'c', 'b', 'd', 'e'].map(checkout); // b is delivered twice

/** An ingress that answers only when told to, and remembers what it was sent and how many sends were open at once. */
function heldIngress(unitSize: number, closedLoopConcurrency: number) {
  const sent: string[][] = [];
  const waiting: (() => void)[] = [];
  let open = 0;
  let mostOpen = 0;
  const ingress: Ingress = {
    unitSize,
    closedLoopConcurrency,
    send: (unit) => {
      sent.push(unit.map((c) => c.checkoutId));
      mostOpen = Math.max(mostOpen, ++open);
      return new Promise<void>((resolve) => waiting.push(() => (open--, resolve())));
    },
    close: async () => undefined,
  };
  const answerAll = async () => {
    while (waiting.length) {
      waiting.splice(0).forEach((answer) => answer());
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { ingress, sent, answerAll, mostOpen: () => mostOpen };
}

describe('the open loop', () => {
  it('given an arm that answers nothing yet, when the loop runs, then every delivery is sent anyway (arrivals do not wait for answers)', async () => {
    const held = heldIngress(1, 1);
    const done = runOpenLoop(held.ingress, deliveries, 100_000);
    while (held.sent.length < deliveries.length) await new Promise((resolve) => setTimeout(resolve, 1));
    expect(held.sent.flat()).toEqual(['a', 'b', 'c', 'b', 'd', 'e']);
    await held.answerAll();
    await done;
  });

  it('given a rate, when the loop runs, then each checkout counts from its intended time, i / rate after the start, and a duplicate keeps its first one', async () => {
    const held = heldIngress(1, 1);
    const done = runOpenLoop(held.ingress, deliveries, 1000);
    while (held.sent.length < deliveries.length) await new Promise((resolve) => setTimeout(resolve, 1));
    await held.answerAll();
    const sentAt = await done;
    const start = sentAt.get('a') as number;
    expect([...sentAt.entries()].map(([id, at]) => [id, Math.round(at - start)])).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 2],
      ['d', 4],
      ['e', 5],
    ]);
  });
});

describe('the closed loop', () => {
  it('given 2 sends in flight of up to 2 deliveries, when the loop runs, then never more than 2 are open and all go out in order', async () => {
    const held = heldIngress(2, 2);
    const done = runClosedLoop(held.ingress, deliveries);
    await new Promise((resolve) => setImmediate(resolve));
    expect(held.sent).toEqual([
      ['a', 'b'],
      ['c', 'b'],
    ]); // the next waits for an answer
    await held.answerAll();
    const sentAt = await done;
    expect(held.sent.flat()).toEqual(['a', 'b', 'c', 'b', 'd', 'e']);
    expect(held.mostOpen()).toBe(2);
    expect([...sentAt.keys()]).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
