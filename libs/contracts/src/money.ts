/**
 * The money rule (ADR 0022). A price travels as a JSON number in major units (39.5 is 39 euros 50)
 * with at most two decimal places, more than 0 and at most 1,000,000,000. "Two decimal places" is
 * judged on the number as JavaScript writes it back (its shortest exact form), so 19.99 passes and
 * 0.001, 1e-7 or 0.30000000000000004 do not. Every sum is then taken in whole minor units (cents),
 * where it is exact: 3 × 0.1 totals 0.3, never 0.30000000000000004.
 *
 * The rule is checked where a price enters (an HTTP body, a Kafka message, an operator's listing),
 * never when history is read: orders stored before it (a 0, a third decimal) still load.
 */
export const MONEY_RULE = {
  /** Minor units per major unit: the two decimal places. */
  minorUnits: 100,
  maxAmount: 1_000_000_000,
  /**
   * The most a checkout may total: 10^13 major units are 10^15 minor units, below 2^53, so every
   * total stays an exact integer of minor units.
   */
  maxTotal: 10_000_000_000_000,
} as const;

const TWO_DECIMALS = /^\d+(\.\d{1,2})?$/;

/** Why `amount` is not a price under the money rule, or undefined when it is one. */
export function moneyIssue(amount: number): string | undefined {
  if (!Number.isFinite(amount)) return 'must be a finite number';
  if (amount <= 0) return 'must be more than 0';
  if (amount > MONEY_RULE.maxAmount) return `must be at most ${MONEY_RULE.maxAmount}`;
  if (!TWO_DECIMALS.test(String(amount))) return 'must have at most 2 decimal places';
  return undefined;
}

/** Whole minor units (cents). Exact for a price under the rule; a stored amount of more decimals is rounded to the cent. */
export const toMinorUnits = (amount: number): number => Math.round(amount * MONEY_RULE.minorUnits);

/** Back to major units: the double closest to the decimal, so it prints with at most two decimals. */
export const fromMinorUnits = (minor: number): number => minor / MONEY_RULE.minorUnits;

/** Sum of `quantity × unitPrice` over the lines, in minor units. */
export function totalInMinorUnits(lines: readonly { readonly quantity: number; readonly unitPrice: number }[]): number {
  return lines.reduce((sum, line) => sum + toMinorUnits(line.unitPrice) * line.quantity, 0);
}

/** Sum of `quantity × unitPrice` over the lines, in major units, computed exactly in minor units. */
export function totalOf(lines: readonly { readonly quantity: number; readonly unitPrice: number }[]): number {
  return fromMinorUnits(totalInMinorUnits(lines));
}
