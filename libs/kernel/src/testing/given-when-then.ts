import { Decider, foldEvents } from '../decider';

/**
 * Given/when/then for deciders: `given(events).when(command).then(expectedEvents)`.
 * `thenThrows` is for broken preconditions; `thenNothingHappens` for idempotent repeats.
 */
export function deciderSpec<Command, Event, State>(decider: Decider<Command, Event, State>) {
  return {
    given(events: readonly Event[] = []) {
      const state = foldEvents(decider, events);
      return {
        when(command: Command) {
          const run = () => decider.decide(command, state);
          return {
            then(expected: readonly Event[]) {
              expect(run()).toEqual(expected);
            },
            thenNothingHappens() {
              expect(run()).toEqual([]);
            },
            thenThrows(matcher: string | RegExp | (new (...args: never[]) => Error)) {
              expect(run).toThrow(matcher as never);
            },
            thenState(assertion: (stateAfter: State) => void) {
              const after = run().reduce(decider.evolve, state);
              assertion(after);
            },
          };
        },
      };
    },
  };
}
