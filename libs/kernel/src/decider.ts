/**
 * A decider is an aggregate as three pure functions (after Emmett and Jérémie Chassaing):
 * `decide` turns a command and the current state into events, `evolve` folds one event into
 * state, `initialState` is the state of a stream that has no events yet.
 * Refusals the outside world reacts to are events too; only broken preconditions throw.
 */
export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): readonly Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

export function foldEvents<Event, State>(
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
  events: readonly Event[],
): State {
  return events.reduce(decider.evolve, decider.initialState());
}

/** Exhaustiveness check for discriminated unions: the compiler fails when a case is missing. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
