import { z } from 'zod';
import { MONEY_RULE, moneyIssue } from './money';

/** Shared field rules, so HTTP bodies and Kafka messages accept exactly the same values. */
export const LIMITS = {
  maxLinesPerCheckout: 100,
  maxQuantityPerLine: 10_000,
  maxReceiptQuantity: 1_000_000,
  maxInventoryPage: 1_000,
  /** SKUs one shopper's live stream may follow. */
  maxLiveSkus: 100,
  /** Partitions of inventory.commands a deployment may shard inventory over (ADR 0020). */
  maxInventoryShards: 1024,
} as const;

export const Identifier = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'may contain letters, digits and . _ : - only');

export const Sku = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'may contain letters, digits and . _ - only');

export const Quantity = z
  .number()
  .int('must be a whole number')
  .positive('must be at least 1')
  .max(LIMITS.maxQuantityPerLine, `must be at most ${LIMITS.maxQuantityPerLine}`);

/**
 * A price in major units under the money rule (money.ts, ADR 0022): more than 0, at most
 * 1,000,000,000, at most two decimal places. For what comes in; what was stored is an Amount.
 */
export const Money = z
  .number({
    error: (issue) =>
      issue.input === undefined ? 'is required: a price in major units, e.g. 39.5' : 'must be a number',
  })
  .superRefine((amount, context) => {
    const issue = moneyIssue(amount);
    if (issue !== undefined) context.addIssue({ code: 'custom', message: issue, input: amount });
  })
  .meta({
    description:
      'A price in major units: more than 0, at most 1000000000, at most 2 decimal places (totals are summed exactly in minor units)',
    exclusiveMinimum: 0,
    maximum: MONEY_RULE.maxAmount,
    multipleOf: 0.01,
  });

/**
 * An amount as the system reports it (an order's line prices and total). Not held to the money
 * rule: orders stored before it (a price of 0, a third decimal) still read and publish.
 */
export const Amount = z.number().finite().nonnegative();

/**
 * What a payment gateway gives back for a shopper's payment token (ADR 0021): an opaque reference
 * it understands, stored and sent in the token's place. The token itself is never stored.
 */
export const PaymentRef = z.string().min(1, 'must not be empty').max(512, 'must be at most 512 characters');

export const IsoTimestamp = z.iso.datetime({ offset: true });

export const StockStatus = z.enum(['IN_STOCK', 'LIMITED', 'OUT_OF_STOCK']);
export type StockStatus = z.infer<typeof StockStatus>;

export const OrderStatus = z.enum(['PENDING', 'COMPLETED', 'REJECTED', 'CANCELLED']);
export type OrderStatus = z.infer<typeof OrderStatus>;
