import type { AuthorizationRequest, PaymentDecision, PaymentGateway } from './payment-gateway';

/** What a rule answers; `delayMs` makes the gateway slow, to exercise the payment timeout. */
export type SimulatedAnswer = PaymentDecision & { readonly delayMs?: number };

/** A rule answers for the requests it recognises (usually by payment token) and passes on the rest. */
export type PaymentRule = (request: AuthorizationRequest) => SimulatedAnswer | undefined;

/** `decline` or `decline:<reason>` is declined, with that reason (default "card declined"). */
export const declineTokens: PaymentRule = ({ paymentToken }) => {
  if (!paymentToken?.startsWith('decline')) return undefined;
  const reason = paymentToken.startsWith('decline:') ? paymentToken.slice('decline:'.length) : '';
  return { outcome: 'declined', reason: reason || 'card declined' };
};

/** `delay:<ms>` is approved after that many milliseconds. */
export const delayTokens: PaymentRule = ({ paymentToken }) => {
  const match = /^delay:(\d+)$/.exec(paymentToken ?? '');
  return match ? { outcome: 'approved', delayMs: Number(match[1]) } : undefined;
};

export const DEFAULT_PAYMENT_RULES: readonly PaymentRule[] = [declineTokens, delayTokens];

export interface SimulatedPaymentGatewayOptions {
  /** Tried in order; the first answer wins; no answer means approved. Default: DEFAULT_PAYMENT_RULES. */
  readonly rules?: readonly PaymentRule[];
}

/**
 * A deterministic stand-in for a card processor, for the embedded mode, demos and tests.
 * It keeps the first answer per order, as a real gateway's idempotency key would.
 */
export class SimulatedPaymentGateway implements PaymentGateway {
  private readonly rules: readonly PaymentRule[];
  private readonly answers = new Map<string, Promise<PaymentDecision>>();
  private readonly voided = new Set<string>();

  constructor(options: SimulatedPaymentGatewayOptions = {}) {
    this.rules = options.rules ?? DEFAULT_PAYMENT_RULES;
  }

  authorize(request: AuthorizationRequest): Promise<PaymentDecision> {
    const earlier = this.answers.get(request.orderId);
    if (earlier) return earlier;
    const answer = this.answerFor(request);
    this.answers.set(request.orderId, answer);
    return answer;
  }

  async void(orderId: string): Promise<void> {
    this.voided.add(orderId);
  }

  /** How many distinct orders asked for authorization (a repeat is not counted). */
  get authorizedOrders(): number {
    return this.answers.size;
  }

  hasVoided(orderId: string): boolean {
    return this.voided.has(orderId);
  }

  private async answerFor(request: AuthorizationRequest): Promise<PaymentDecision> {
    const answer = this.rules.reduce<SimulatedAnswer | undefined>((found, rule) => found ?? rule(request), undefined) ?? {
      outcome: 'approved',
    };
    if (answer.delayMs) await sleep(answer.delayMs);
    return answer.outcome === 'approved' ? { outcome: 'approved' } : { outcome: 'declined', reason: answer.reason };
  }
}

function sleep(milliseconds: number): Promise<void> {
  // unref: a slow simulated answer must not keep a finished process alive.
  return new Promise((resolve) => setTimeout(resolve, milliseconds).unref());
}
