import { InvalidArgumentError } from 'commander';

/** A commander option parser for whole numbers of at least `least`, with the error commander prints. */
export function wholeNumber(least: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < least)
      throw new InvalidArgumentError(`must be a whole number ≥ ${least}`);
    return parsed;
  };
}
