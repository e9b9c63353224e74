import type { CheckoutRequest } from '@stockade/contracts';
import type { Ingress } from '../load/ingress';
import { runPacedLoop } from './paced-loop';

const checkout = (index: number): CheckoutRequest => ({
  checkoutId: `s-${index}`,
  customerId: 'c',
  lines: [{ sku: 'S', quantity: 1, unitPrice: 1 }],
});

describe("the soak's paced loop", () => {
  it('given an arm that answers nothing until the end, when 50 checkouts are paced at 5,000/s, then each is made once, in order, and sent without waiting for the answers before it', async () => {
    const made: number[] = [];
    const sent: string[] = [];
    const answers: (() => void)[] = [];
    const ingress: Ingress = {
      unitSize: 1,
      closedLoopConcurrency: 1,
      send: (unit) => {
        sent.push(...unit.map((c) => c.checkoutId));
        return new Promise<void>((resolve) => answers.push(resolve));
      },
      close: async () => undefined,
    };

    const done = runPacedLoop(ingress, 50, 5_000, (index) => (made.push(index), checkout(index)));
    while (sent.length < 50) await new Promise((resolve) => setTimeout(resolve, 1));
    answers.forEach((answer) => answer());
    await done;

    expect(made).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(sent).toEqual(made.map((i) => `s-${i}`));
  });

  it('given a rate of 200/s, when 20 checkouts are paced, then the loop takes about 95 ms (the last is due at 19 / 200 s), not less', async () => {
    const ingress: Ingress = {
      unitSize: 500,
      closedLoopConcurrency: 1,
      send: async () => undefined,
      close: async () => undefined,
    };
    const started = performance.now();

    await runPacedLoop(ingress, 20, 200, checkout);

    expect(performance.now() - started).toBeGreaterThanOrEqual(94);
  });
});
