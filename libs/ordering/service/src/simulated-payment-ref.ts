import { createHmac } from 'node:crypto';
import type { PaymentDecision } from './payment-gateway';

/** What the simulator will answer for a reference; `delayMs` makes it slow (only where a test injects a slow rule). */
export type SimulatedAnswer = PaymentDecision & { readonly delayMs?: number };

/**
 * The simulator's payment references, like a card processor's test cards: the answer is written
 * into the reference when the token is exchanged, so any simulator, in any process and after any
 * restart, answers the same without remembering the token.
 *
 *   sim:approve:<digest>                 sim:decline:<reason>:<digest>
 *   sim:approve:+<ms>ms:<digest>         sim:decline:<reason>:+<ms>ms:<digest>
 *
 * `<reason>` is URI-encoded; `<digest>` is a keyed hash (HMAC-SHA-256, 96 bits shown) of the token,
 * never reversible to it: it tells two tokens apart and nothing else.
 */
const PREFIX = 'sim';

export function encodeSimulatedRef(answer: SimulatedAnswer, paymentToken: string, key: Uint8Array): string {
  const digest = createHmac('sha256', key).update(paymentToken).digest('base64url').slice(0, 16);
  const delay = answer.delayMs ? [`+${Math.round(answer.delayMs)}ms`] : [];
  const decision = answer.outcome === 'approved' ? ['approve'] : ['decline', encodeURIComponent(answer.reason)];
  return [PREFIX, ...decision, ...delay, digest].join(':');
}

/** The answer a simulator reference stands for; undefined for anything the simulator did not issue. */
export function decodeSimulatedRef(ref: string): SimulatedAnswer | undefined {
  const [prefix, outcome, ...rest] = ref.split(':');
  if (prefix !== PREFIX || rest.length === 0) return undefined;
  const parameters = rest.slice(0, -1);
  const reason = outcome === 'decline' ? parameters.shift() : undefined;
  const delay = parameters.length === 1 ? /^\+(\d{1,9})ms$/.exec(parameters[0] as string) : undefined;
  if (parameters.length > (delay ? 1 : 0)) return undefined;
  const delayMs = delay ? { delayMs: Number(delay[1]) } : {};
  if (outcome === 'approve') return { outcome: 'approved', ...delayMs };
  if (outcome === 'decline' && reason) return { outcome: 'declined', reason: safeDecode(reason), ...delayMs };
  return undefined;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
