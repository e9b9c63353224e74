import { SimulatedPaymentGateway } from './simulated-payment-gateway';

const request = (paymentToken?: string, orderId = 'o-1') => ({ orderId, amount: 10, ...(paymentToken === undefined ? {} : { paymentToken }) });

describe('SimulatedPaymentGateway', () => {
  it('given an ordinary token or none, when authorizing, then it is approved', async () => {
    const gateway = new SimulatedPaymentGateway();
    await expect(gateway.authorize(request('tok-visa'))).resolves.toEqual({ outcome: 'approved' });
    await expect(gateway.authorize(request(undefined, 'o-2'))).resolves.toEqual({ outcome: 'approved' });
  });

  it('given a decline token, when authorizing, then it is declined with the reason the token names', async () => {
    const gateway = new SimulatedPaymentGateway();
    await expect(gateway.authorize(request('decline:insufficient-funds'))).resolves.toEqual({
      outcome: 'declined',
      reason: 'insufficient-funds',
    });
    await expect(gateway.authorize(request('decline', 'o-2'))).resolves.toEqual({ outcome: 'declined', reason: 'card declined' });
  });

  it('given a delay token, when authorizing, then it is approved after that delay', async () => {
    const gateway = new SimulatedPaymentGateway();
    await expect(gateway.authorize(request('delay:5'))).resolves.toEqual({ outcome: 'approved' });
  });

  it('given the same order twice, when authorizing, then the first answer is kept', async () => {
    const gateway = new SimulatedPaymentGateway();
    await gateway.authorize(request('decline:stolen-card'));
    await expect(gateway.authorize(request('tok-visa'))).resolves.toEqual({ outcome: 'declined', reason: 'stolen-card' });
    expect(gateway.authorizedOrders).toBe(1);
  });

  it('given injected rules, when authorizing, then they replace the defaults', async () => {
    const gateway = new SimulatedPaymentGateway({
      rules: [({ amount }) => (amount > 5 ? { outcome: 'declined', reason: 'over limit' } : undefined)],
    });
    await expect(gateway.authorize(request('decline:ignored'))).resolves.toEqual({ outcome: 'declined', reason: 'over limit' });
    await expect(gateway.authorize({ orderId: 'o-2', amount: 1, paymentToken: 'decline' })).resolves.toEqual({ outcome: 'approved' });
  });

  it('given a void, then the gateway remembers it', async () => {
    const gateway = new SimulatedPaymentGateway();
    await gateway.void('o-1');
    expect(gateway.hasVoided('o-1')).toBe(true);
    expect(gateway.hasVoided('o-2')).toBe(false);
  });
});
