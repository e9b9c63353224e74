import { deciderSpec } from '@stockade/kernel/testing';
import { orderDecider } from './order-decider';
import type { ReportedFact } from './order-inputs';
import { OrderPhase, publicStatusOf } from './order-state';
import { ORDER_TRANSITIONS } from './order-transitions';
import { ALL_REPORTED, history, placeOrder, reported } from './testing/order-scenarios';

const spec = deciderSpec(orderDecider);
const PHASES = Object.keys(history) as OrderPhase[];

/** Every phase paired with every reported fact its row of the table has no move for. */
const ignoredNews = PHASES.flatMap((phase) =>
  ALL_REPORTED.filter((fact) => ORDER_TRANSITIONS[phase][fact.type] === undefined).map(
    (fact) => [phase, fact.type, fact] as const,
  ),
);

/** The reports that brought the order to each phase of the scenario histories. */
const REPORTS_ON_THE_WAY: { readonly [Phase in OrderPhase]: readonly ReportedFact[] } = {
  PLACED: [],
  AWAITING_PAYMENT: [reported.stockReserved],
  COMMITTING: [reported.stockReserved, reported.paymentAuthorized],
  COMPLETED: [reported.stockReserved, reported.paymentAuthorized, reported.committed],
  REJECTED: [reported.stockRejected],
  RELEASING: [reported.stockReserved, reported.paymentDeclined],
  CANCELLED: [reported.stockReserved, reported.paymentDeclined, reported.released],
};

/** Every phase paired with each fact that brought the order there, delivered once more. */
const redeliveries = PHASES.flatMap((phase) =>
  REPORTS_ON_THE_WAY[phase].map((fact) => [phase, fact.type, fact] as const),
);

describe('redelivered and late messages', () => {
  it.each(ignoredNews)('given an order %s, when %s arrives, then nothing happens', (phase, _type, fact) => {
    spec.given(history[phase]).when(fact).thenNothingHappens();
  });

  it.each(redeliveries)(
    'given an order %s, when the %s that led there is redelivered, then nothing happens',
    (phase, _type, fact) => {
      spec.given(history[phase]).when(fact).thenNothingHappens();
    },
  );

  it.each(ALL_REPORTED.map((fact) => [fact.type, fact] as const))(
    'given no order, when %s arrives, then nothing happens',
    (_type, fact) => {
      spec.given([]).when(fact).thenNothingHappens();
    },
  );

  it.each(PHASES)('given an order %s, when the checkout is placed again, then nothing happens', (phase) => {
    spec.given(history[phase]).when(placeOrder).thenNothingHappens();
  });
});

describe('the transition table', () => {
  it('given the terminal phases, then only late payments still lead anywhere', () => {
    expect(Object.keys(ORDER_TRANSITIONS.COMPLETED)).toEqual([]);
    expect(Object.keys(ORDER_TRANSITIONS.REJECTED)).toEqual([]);
    expect(Object.keys(ORDER_TRANSITIONS.CANCELLED).sort()).toEqual(['PaymentAuthorized', 'PaymentTimedOut']);
    expect(Object.values(ORDER_TRANSITIONS.CANCELLED).map((t) => t?.toPhase)).toEqual(['CANCELLED', 'CANCELLED']);
  });

  it('given every entry of the table, when awaited, then it is the entry itself (none looks like a Promise)', async () => {
    const entries = PHASES.flatMap((phase) => Object.values(ORDER_TRANSITIONS[phase]));
    expect(entries.length).toBeGreaterThan(10);
    for (const entry of entries) expect(await Promise.resolve(entry)).toBe(entry);
  });

  it.each(PHASES)('given the scenario history for %s, then replaying it lands in that phase', (phase) => {
    const state = history[phase].reduce(orderDecider.evolve, orderDecider.initialState());
    expect(state).toMatchObject({ kind: 'existing', phase });
  });

  it('maps in-flight phases to PENDING and terminal phases to themselves', () => {
    expect(PHASES.map((phase) => [phase, publicStatusOf(phase)])).toEqual([
      ['PLACED', 'PENDING'],
      ['AWAITING_PAYMENT', 'PENDING'],
      ['COMMITTING', 'PENDING'],
      ['COMPLETED', 'COMPLETED'],
      ['REJECTED', 'REJECTED'],
      ['RELEASING', 'PENDING'],
      ['CANCELLED', 'CANCELLED'],
    ]);
  });
});
