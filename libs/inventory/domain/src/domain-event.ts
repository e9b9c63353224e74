/**
 * The shape of every inventory event and command (after Emmett): a readonly `{ type, data }`,
 * plus `metadata` where the decision needs it (time arrives there, never from `new Date()`).
 * Ids, correlation and stream positions are added by the service when it stores them.
 */
export type DomainEvent<Type extends string, Data> = Readonly<{ type: Type; data: Readonly<Data> }>;

export type DomainCommand<Type extends string, Data, Metadata = undefined> = Metadata extends undefined
  ? Readonly<{ type: Type; data: Readonly<Data> }>
  : Readonly<{ type: Type; data: Readonly<Data>; metadata: Readonly<Metadata> }>;

/** Command metadata for decisions that depend on the time (reservation TTL, expiry). */
export interface DecisionTime {
  readonly now: Date;
}
