import type { DomainEvent } from '../domain-event';

/** One line of a checkout: how many units of which SKU. */
export interface ReservationLine {
  readonly sku: string;
  readonly quantity: number;
}

/** Why a line could not be reserved; `reason` is the sentence the shopper sees. */
export interface ShortLine {
  readonly sku: string;
  readonly requested: number;
  readonly available: number;
  readonly reason: string;
}

export type ReservationAccepted = DomainEvent<
  'ReservationAccepted',
  { checkoutId: string; lines: readonly ReservationLine[]; expiresAt: string }
>;
export type ReservationRejected = DomainEvent<
  'ReservationRejected',
  { checkoutId: string; shortLines: readonly ShortLine[] }
>;
export type ReservationReleased = DomainEvent<'ReservationReleased', { checkoutId: string; reason: string }>;
export type ReservationExpired = DomainEvent<'ReservationExpired', { checkoutId: string }>;
export type ReservationCommitted = DomainEvent<'ReservationCommitted', { checkoutId: string }>;
export type ReservationCommitRefused = DomainEvent<'ReservationCommitRefused', { checkoutId: string; reason: string }>;

export type ReservationEvent =
  | ReservationAccepted
  | ReservationRejected
  | ReservationReleased
  | ReservationExpired
  | ReservationCommitted
  | ReservationCommitRefused;

export const RESERVATION_EVENT_TYPES: readonly ReservationEvent['type'][] = [
  'ReservationAccepted',
  'ReservationRejected',
  'ReservationReleased',
  'ReservationExpired',
  'ReservationCommitted',
  'ReservationCommitRefused',
];

export function isReservationEvent(event: { readonly type: string }): event is ReservationEvent {
  return (RESERVATION_EVENT_TYPES as readonly string[]).includes(event.type);
}
