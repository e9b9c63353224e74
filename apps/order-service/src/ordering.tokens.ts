/** The order service's own providers; a test overrides PAYMENT_GATEWAY (or the store) in its testing module. */
export const ORDERING_EVENT_STORE = Symbol('OrderingEventStore');
export const ORDERING = Symbol('Ordering');
export const PAYMENT_GATEWAY = Symbol('PaymentGateway');
