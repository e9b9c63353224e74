/**
 * Advisory-lock namespaces (the first key of the two-key form). Schema creation and the
 * append ordering lock use different namespaces so they never wait for each other; the
 * second key is derived from the schema name, so stores in different schemas of one
 * database do not serialize their appends against each other.
 */
export const SCHEMA_CREATION_LOCK = 0x5354_4b01;
export const APPEND_ORDER_LOCK = 0x5354_4b02;
