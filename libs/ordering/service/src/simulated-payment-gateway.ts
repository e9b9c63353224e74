import { randomBytes } from 'node:crypto';
import type { AuthorizationRequest, PaymentDecision, PaymentGateway } from './payment-gateway';
import { decodeSimulatedRef, encodeSimulatedRef, SimulatedAnswer } from './simulated-payment-ref';

export type { SimulatedAnswer } from './simulated-payment-ref';

/** Read when a token is exchanged: its answer is written into the reference (simulated-payment-ref.ts). */
export type TokenRule = (paymentToken: string) => SimulatedAnswer | undefined;

/** Read at authorization, before the reference's answer (e.g. by amount); tests inject these. */
export type PaymentRule = (request: AuthorizationRequest) => SimulatedAnswer | undefined;

/** `decline` or `decline:<reason>` is declined, with that reason (default "card declined"). */
export const declineTokens: TokenRule = (paymentToken) => {
  if (!paymentToken.startsWith('decline')) return undefined;
  const reason = paymentToken.startsWith('decline:') ? paymentToken.slice('decline:'.length) : '';
  return { outcome: 'declined', reason: reason || 'card declined' };
};

/**
 * `delay:<ms>` is approved after that many milliseconds. Never a default (ADR 0021): a caller
 * must not choose how long the server waits. Tests and the fault harness that need a slow
 * gateway inject it (`STOCKADE_PAYMENT_SIMULATOR_SLOW_TOKENS` for a process).
 */
export const slowTokens: TokenRule = (paymentToken) => {
  const match = /^delay:(\d{1,9})$/.exec(paymentToken);
  return match ? { outcome: 'approved', delayMs: Number(match[1]) } : undefined;
};

export const DEFAULT_TOKEN_RULES: readonly TokenRule[] = [declineTokens];

/** The simulator a process runs: the default rules, and `delay:<ms>` tokens only where a fault harness turns them on. */
export function deploymentPaymentSimulator(options: { readonly slowTokens: boolean }): SimulatedPaymentGateway {
  return new SimulatedPaymentGateway(options.slowTokens ? { tokenRules: [...DEFAULT_TOKEN_RULES, slowTokens] } : {});
}

/** Answers kept per order by default: a repeat within the last this many orders answers the same. */
export const DEFAULT_REMEMBERED_ANSWERS = 10_000;

/** One key per process: references differ between processes, and the simulator needs none to answer (the answer is in the reference). */
const PROCESS_KEY = randomBytes(32);

export interface SimulatedPaymentGatewayOptions {
  /** Tried in order when a token is exchanged; the first answer wins; none means approved. Default: DEFAULT_TOKEN_RULES. */
  readonly tokenRules?: readonly TokenRule[];
  /** Tried in order at authorization, before the reference's answer. Default: none. */
  readonly rules?: readonly PaymentRule[];
  /** The digest's key (default: random per process). */
  readonly key?: Uint8Array;
  /** How many orders' answers (and voids) are remembered, least recently used dropped first. Default DEFAULT_REMEMBERED_ANSWERS. */
  readonly rememberedAnswers?: number;
}

/**
 * A deterministic stand-in for a card processor, for the embedded mode, demos and tests. Like a
 * processor's idempotency key, it keeps the first answer per order, for the last
 * `rememberedAnswers` orders: the payment worker's retries come within seconds, and the answer
 * is in the reference anyway, so an order forgotten and asked again gets the same one.
 */
export class SimulatedPaymentGateway implements PaymentGateway {
  private readonly tokenRules: readonly TokenRule[];
  private readonly rules: readonly PaymentRule[];
  private readonly key: Uint8Array;
  private readonly answers: RecentlyUsed<Promise<PaymentDecision>>;
  private readonly voided: RecentlyUsed<true>;
  private distinctOrders = 0;

  constructor(options: SimulatedPaymentGatewayOptions = {}) {
    this.tokenRules = options.tokenRules ?? DEFAULT_TOKEN_RULES;
    this.rules = options.rules ?? [];
    this.key = options.key ?? PROCESS_KEY;
    this.answers = new RecentlyUsed(options.rememberedAnswers ?? DEFAULT_REMEMBERED_ANSWERS);
    this.voided = new RecentlyUsed(options.rememberedAnswers ?? DEFAULT_REMEMBERED_ANSWERS);
  }

  async tokenize(paymentToken: string): Promise<string> {
    const answer = first(this.tokenRules, paymentToken) ?? { outcome: 'approved' };
    return encodeSimulatedRef(answer, paymentToken, this.key);
  }

  authorize(request: AuthorizationRequest): Promise<PaymentDecision> {
    const earlier = this.answers.get(request.orderId);
    if (earlier) return earlier;
    const answer = this.answerFor(request);
    this.answers.set(request.orderId, answer);
    this.distinctOrders++;
    return answer;
  }

  async void(orderId: string): Promise<void> {
    this.voided.set(orderId, true);
  }

  /** How many distinct orders asked for authorization (a repeat is not counted). */
  get authorizedOrders(): number {
    return this.distinctOrders;
  }

  /** Answers held now (at most `rememberedAnswers`). */
  get rememberedAnswers(): number {
    return this.answers.size;
  }

  hasVoided(orderId: string): boolean {
    return this.voided.get(orderId) === true;
  }

  private async answerFor(request: AuthorizationRequest): Promise<PaymentDecision> {
    const answer = first(this.rules, request) ??
      (request.paymentRef === undefined ? undefined : this.answerOfRef(request.paymentRef)) ?? { outcome: 'approved' };
    if (answer.delayMs) await sleep(answer.delayMs);
    return answer.outcome === 'approved' ? { outcome: 'approved' } : { outcome: 'declined', reason: answer.reason };
  }

  private answerOfRef(ref: string): SimulatedAnswer {
    return decodeSimulatedRef(ref) ?? { outcome: 'declined', reason: 'payment reference not recognised' };
  }
}

function first<Input>(
  rules: readonly ((input: Input) => SimulatedAnswer | undefined)[],
  input: Input,
): SimulatedAnswer | undefined {
  for (const rule of rules) {
    const answer = rule(input);
    if (answer) return answer;
  }
  return undefined;
}

/** A map of at most `capacity` entries; the least recently used goes first (a Map's order is its recency). */
class RecentlyUsed<Value> {
  private readonly entries = new Map<string, Value>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): Value | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) this.set(key, value);
    return value;
  }

  set(key: string, value: Value): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }
}

function sleep(milliseconds: number): Promise<void> {
  // unref: a slow simulated answer must not keep a finished process alive.
  return new Promise((resolve) => setTimeout(resolve, milliseconds).unref());
}
