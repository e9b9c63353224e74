import { moneyIssue } from '@stockade/contracts';
import { ValidationError } from '@stockade/kernel';
import type { Listing, StockLevels } from './stock-events';

const NAME_MAX_LENGTH = 120;
const CONTROL_CHARACTERS = /\p{Cc}/u;

/**
 * The catalog rules of a listing, checked by the decider whoever sends the command (the HTTP
 * route checks the same first, with the field named): a printable name, a price under the money
 * rule. Stored listings are never checked again.
 */
export function validateListing(listing: Listing): void {
  const issues: { field: string; message: string }[] = [];
  const { name, unitPrice } = listing;
  if (typeof name !== 'string' || name.trim() === '') issues.push({ field: 'name', message: 'must not be empty' });
  else if (name.length > NAME_MAX_LENGTH)
    issues.push({ field: 'name', message: `must be at most ${NAME_MAX_LENGTH} characters` });
  else if (CONTROL_CHARACTERS.test(name))
    issues.push({ field: 'name', message: 'must not contain control characters' });
  const priceIssue = typeof unitPrice === 'number' ? moneyIssue(unitPrice) : 'must be a number';
  if (priceIssue !== undefined) issues.push({ field: 'unitPrice', message: priceIssue });
  if (issues.length > 0) throw new ValidationError(issues);
}

export const sameListing = (a: Listing | undefined, b: Listing): boolean =>
  a !== undefined && a.name === b.name && a.unitPrice === b.unitPrice;

/** The levels an event records: those given, with the SKU's listing (when it has one) carried along. */
export function levelsAfter(onHand: number, reserved: number, listing: Listing | undefined): StockLevels {
  return listing === undefined ? { onHand, reserved } : { onHand, reserved, listing };
}
