/** The order service's own providers; a test overrides PAYMENT_GATEWAY (or the store) in its testing module. */
export const ORDERING_EVENT_STORE = Symbol('OrderingEventStore');
export const ORDERING = Symbol('Ordering');
export const PAYMENT_GATEWAY = Symbol('PaymentGateway');
/** The saga's consumer group (inventory.events): the instance holding its partition 0 relays the order store (RelayLeadership). */
export const ORDER_SAGA_GROUP = 'order-service-saga';
/** Back-pressure on checkouts (CheckoutAdmission), shared by POST /checkouts and the checkout topics. */
export const CHECKOUT_ADMISSION = Symbol('CheckoutAdmission');
/** This process's orders accepted and not yet ended (OrdersInFlight): admission limits it, outcomes end it, metrics read it. */
export const ORDERS_IN_FLIGHT = Symbol('OrdersInFlight');
