import { InvariantViolation } from '@stockade/kernel';

/**
 * An adjustment would leave fewer units on hand than are promised to checkouts
 * (available = onHand - reserved would drop below 0). Mapped to HTTP 409 by its code.
 */
export class StockAdjustmentRefused extends InvariantViolation {
  constructor(
    readonly sku: string,
    readonly delta: number,
    readonly onHand: number,
    readonly reserved: number,
  ) {
    super(
      `${sku}: adjusting by ${delta} would leave ${onHand + delta} on hand with ${reserved} reserved ` +
        `(available ${onHand - reserved}, at most ${onHand - reserved} can be removed)`,
    );
  }
}

/**
 * A reservation of more units than are available reached the stock aggregate. The
 * cross-aggregate decision checks every line first, so this only fires on a programming
 * error; it keeps the invariant safe even then.
 */
export class InsufficientStock extends InvariantViolation {
  constructor(
    readonly sku: string,
    readonly requested: number,
    readonly available: number,
  ) {
    super(`${sku}: only ${available} available, ${requested} requested`);
  }
}
