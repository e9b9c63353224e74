import { ValidationError } from '@stockade/kernel';
import { checkout, envelopeValue, orderingTestbed } from './testing/ordering-testbed';

/** Runs a handler and returns the ValidationError it threw, so a test can name the bad field. */
async function refusal(handling: Promise<unknown>): Promise<ValidationError> {
  const error = await handling.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ValidationError);
  expect(error).toMatchObject({ code: 'VALIDATION_FAILED', retriable: false });
  return error as ValidationError;
}

const fields = (error: ValidationError) => error.issues.map((issue) => issue.field);

describe('malformed input', () => {
  const { service } = orderingTestbed();

  it('given a value that is not JSON, when any handler reads it, then it is refused as the body', async () => {
    const handlers = [
      (value: string) => service.handleInventoryEvent(value),
      (value: string) => service.handleCheckoutRequested(value),
      (value: string) => service.handlePaymentCommand(value),
    ];
    for (const handle of handlers) expect(fields(await refusal(handle('{not json')))).toEqual(['(body)']);
  });

  it('given an inventory event without a checkout id, when it is handled, then the field is named', async () => {
    const value = envelopeValue('StockReserved.v1', { lines: [], expiresAt: '2026-03-01T10:15:00.000Z' }, 'chk-1');
    expect(fields(await refusal(service.handleInventoryEvent(value)))).toEqual(['data.checkoutId']);
  });

  it('given an inventory event of an unknown type, when it is handled, then the type is named', async () => {
    const value = envelopeValue('StockTeleported.v1', { checkoutId: 'chk-1' }, 'chk-1');
    expect(fields(await refusal(service.handleInventoryEvent(value)))).toContain('type');
  });

  it('given a bare checkout with a bad quantity, when it is handled, then the line field is named', async () => {
    const request = checkout();
    const value = JSON.stringify({ ...request, lines: [{ sku: 'LAMP', quantity: 0, unitPrice: 1 }] });
    expect(fields(await refusal(service.handleCheckoutRequested(value)))).toEqual(['lines.0.quantity']);
  });

  it('given a checkout envelope without a message id, when it is handled, then the envelope field is named', async () => {
    const value = JSON.parse(envelopeValue('CheckoutRequested.v1', checkout(), 'chk-1')) as Record<string, unknown>;
    delete value['messageId'];
    expect(fields(await refusal(service.handleCheckoutRequested(JSON.stringify(value))))).toEqual(['messageId']);
  });

  it('given a checkout envelope with a bad customer id, when it is handled, then the data field is named', async () => {
    const value = envelopeValue('CheckoutRequested.v1', { ...checkout(), customerId: 'has spaces' }, 'chk-1');
    expect(fields(await refusal(service.handleCheckoutRequested(value)))).toEqual(['data.customerId']);
  });

  it('given a payment command with a negative amount, when it is handled, then the amount is named', async () => {
    const value = envelopeValue('AuthorizePayment.v1', { orderId: 'chk-1', amount: -5 }, 'chk-1');
    expect(fields(await refusal(service.handlePaymentCommand(value)))).toEqual(['data.amount']);
  });

  it('given a checkout with no lines, when it is placed directly, then lines is named', async () => {
    expect(fields(await refusal(service.placeOrder({ ...checkout(), lines: [] })))).toEqual(['lines']);
  });
});
