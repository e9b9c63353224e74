import type { Pool } from 'pg';
import type { CheckoutRequest } from '@stockade/contracts';
import type { BaselineTables } from './baseline-store';
import { decideWithFunction } from './checkout-function';
import { BaselineDecision, decideCheckout } from './guarded-checkout';

/**
 * How the baseline decides a checkout: `function`, one round trip to the PL/pgSQL function (the
 * default, the strongest baseline); `transaction`, the BEGIN / INSERT / UPDATE per line / COMMIT
 * of issue 7, several round trips, kept to compare with earlier runs.
 */
export const BASELINE_CHECKOUTS = ['function', 'transaction'] as const;
export type BaselineCheckoutKind = (typeof BASELINE_CHECKOUTS)[number];

export type DecideCheckout = (
  pool: Pool,
  tables: BaselineTables,
  checkout: CheckoutRequest,
) => Promise<BaselineDecision>;

export function checkoutOf(kind: BaselineCheckoutKind): DecideCheckout {
  return kind === 'function' ? decideWithFunction : decideCheckout;
}
