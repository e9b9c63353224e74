import { SimulatedPaymentGateway, slowTokens } from './simulated-payment-gateway';
import { decodeSimulatedRef } from './simulated-payment-ref';

const gateway = () => new SimulatedPaymentGateway();
const authorize = async (simulator: SimulatedPaymentGateway, paymentToken?: string, orderId = 'o-1', amount = 10) =>
  simulator.authorize({
    orderId,
    amount,
    ...(paymentToken === undefined ? {} : { paymentRef: await simulator.tokenize(paymentToken) }),
  });

describe('SimulatedPaymentGateway', () => {
  it('given an ordinary token or none, when authorizing, then it is approved', async () => {
    const simulator = gateway();
    await expect(authorize(simulator, 'tok-visa')).resolves.toEqual({ outcome: 'approved' });
    await expect(authorize(simulator, undefined, 'o-2')).resolves.toEqual({ outcome: 'approved' });
  });

  it('given a decline token, when authorizing with its reference, then it is declined with the reason the token names', async () => {
    const simulator = gateway();
    await expect(authorize(simulator, 'decline:insufficient-funds')).resolves.toEqual({
      outcome: 'declined',
      reason: 'insufficient-funds',
    });
    await expect(authorize(simulator, 'decline', 'o-2')).resolves.toEqual({
      outcome: 'declined',
      reason: 'card declined',
    });
    await expect(authorize(simulator, 'decline:a reason: with colons', 'o-3')).resolves.toEqual({
      outcome: 'declined',
      reason: 'a reason: with colons',
    });
  });

  it('given a token, when it is exchanged, then the reference holds the answer and a keyed digest, never the token', async () => {
    expect(await gateway().tokenize('decline:expired-card')).toMatch(/^sim:decline:expired-card:[A-Za-z0-9_-]{16}$/);
    const approve = await gateway().tokenize('tok_4242424242424242');
    expect(approve).toMatch(/^sim:approve:[A-Za-z0-9_-]{16}$/);
    expect(approve).not.toContain('4242');
    const otherKey = new SimulatedPaymentGateway({ key: Buffer.alloc(32, 7) });
    expect(await otherKey.tokenize('tok_4242424242424242')).not.toBe(approve);
    expect(await gateway().tokenize('tok_4242424242424242')).toBe(approve);
  });

  it('given a reference issued by one simulator, when another one (another process, after a restart) authorizes it, then it answers the same', async () => {
    const ref = await new SimulatedPaymentGateway({ key: Buffer.alloc(32, 1) }).tokenize('decline:stolen-card');
    await expect(
      new SimulatedPaymentGateway({ key: Buffer.alloc(32, 2) }).authorize({
        orderId: 'o-1',
        amount: 10,
        paymentRef: ref,
      }),
    ).resolves.toEqual({
      outcome: 'declined',
      reason: 'stolen-card',
    });
  });

  it('given the default rules, when a caller sends delay:<ms>, then it is an ordinary token: no reference to wait on, approved at once', async () => {
    const ref = await gateway().tokenize('delay:600000');
    expect(decodeSimulatedRef(ref)).toEqual({ outcome: 'approved' });
  });

  it('given the slow-token rule injected (tests), when authorizing delay:<ms>, then it is approved after that delay', async () => {
    const simulator = new SimulatedPaymentGateway({ tokenRules: [slowTokens] });
    const ref = await simulator.tokenize('delay:30');
    expect(decodeSimulatedRef(ref)).toEqual({ outcome: 'approved', delayMs: 30 });
    const started = Date.now();
    await expect(simulator.authorize({ orderId: 'o-1', amount: 10, paymentRef: ref })).resolves.toEqual({
      outcome: 'approved',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('given a reference the simulator did not issue, when authorizing, then it is declined', async () => {
    await expect(gateway().authorize({ orderId: 'o-1', amount: 10, paymentRef: 'tok_raw_card' })).resolves.toEqual({
      outcome: 'declined',
      reason: 'payment reference not recognised',
    });
    expect(decodeSimulatedRef('sim:approve:+5ms:extra:digest')).toBeUndefined();
    expect(decodeSimulatedRef('sim:refund:digest')).toBeUndefined();
  });

  it('given the same order twice, when authorizing, then the first answer is kept', async () => {
    const simulator = gateway();
    await authorize(simulator, 'decline:stolen-card');
    await expect(authorize(simulator, 'tok-visa')).resolves.toEqual({ outcome: 'declined', reason: 'stolen-card' });
    expect(simulator.authorizedOrders).toBe(1);
  });

  it('given more orders than it remembers, when authorizing, then only the most recent answers are kept (memory is bounded)', async () => {
    const simulator = new SimulatedPaymentGateway({ rememberedAnswers: 3 });
    for (const orderId of ['o-1', 'o-2', 'o-3', 'o-4', 'o-5']) await authorize(simulator, 'tok-visa', orderId);
    expect(simulator.rememberedAnswers).toBe(3);
    // o-1 was forgotten: its reference still decides, so a repeat beyond the bound answers the same.
    await expect(authorize(simulator, 'tok-visa', 'o-1')).resolves.toEqual({ outcome: 'approved' });
    expect(simulator.rememberedAnswers).toBe(3);
  });

  it('given injected request rules, when authorizing, then they answer before the reference', async () => {
    const simulator = new SimulatedPaymentGateway({
      rules: [({ amount }) => (amount > 5 ? { outcome: 'declined', reason: 'over limit' } : undefined)],
    });
    await expect(authorize(simulator, 'tok-visa', 'o-1', 10)).resolves.toEqual({
      outcome: 'declined',
      reason: 'over limit',
    });
    await expect(authorize(simulator, 'tok-visa', 'o-2', 1)).resolves.toEqual({ outcome: 'approved' });
  });

  it('given a void, then the gateway remembers it', async () => {
    const simulator = gateway();
    await simulator.void('o-1');
    expect(simulator.hasVoided('o-1')).toBe(true);
    expect(simulator.hasVoided('o-2')).toBe(false);
  });
});
