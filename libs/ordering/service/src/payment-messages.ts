/** Payment commands are contracts like every message; re-exported for the ordering service's callers. */
export { PaymentCommand, VoidPaymentV1 } from '@stockade/contracts';
export type { VoidPayment } from '@stockade/contracts';
