import type { z } from 'zod';
import {
  AuthorizePaymentV1,
  CheckoutRequestedV1,
  CommitReservationV1,
  LowStockAlertClearedV1,
  LowStockAlertRaisedV1,
  OrderCancelledV1,
  OrderCompletedV1,
  OrderRejectedV1,
  ReceivePurchaseOrderV1,
  ReleaseReservationV1,
  ReorderRequestedV1,
  ReservationCommitRefusedV1,
  ReservationCommittedV1,
  ReservationExpiredV1,
  ReservationReleasedV1,
  ReserveStockV1,
  StockLevelChangedV1,
  StockReservationRejectedV1,
  StockReservedV1,
  VoidPaymentV1,
} from './messages';

/**
 * Every integration message type with its schema. Each has a golden JSON fixture in
 * libs/contracts/fixtures/<type>.json: a new version adds a schema and a fixture, it never
 * edits an old one (consumers in the field still send and expect it).
 */
export const MESSAGE_CATALOG: Readonly<Record<string, z.ZodType>> = {
  'CheckoutRequested.v1': CheckoutRequestedV1,
  'ReserveStock.v1': ReserveStockV1,
  'ReleaseReservation.v1': ReleaseReservationV1,
  'CommitReservation.v1': CommitReservationV1,
  'StockReserved.v1': StockReservedV1,
  'StockReservationRejected.v1': StockReservationRejectedV1,
  'ReservationReleased.v1': ReservationReleasedV1,
  'ReservationExpired.v1': ReservationExpiredV1,
  'ReservationCommitted.v1': ReservationCommittedV1,
  'ReservationCommitRefused.v1': ReservationCommitRefusedV1,
  'ReceivePurchaseOrder.v1': ReceivePurchaseOrderV1,
  'StockLevelChanged.v1': StockLevelChangedV1,
  'LowStockAlertRaised.v1': LowStockAlertRaisedV1,
  'LowStockAlertCleared.v1': LowStockAlertClearedV1,
  'ReorderRequested.v1': ReorderRequestedV1,
  'OrderCompleted.v1': OrderCompletedV1,
  'OrderRejected.v1': OrderRejectedV1,
  'OrderCancelled.v1': OrderCancelledV1,
  'AuthorizePayment.v1': AuthorizePaymentV1,
  'VoidPayment.v1': VoidPaymentV1,
};
