import { ValidationError } from '@stockade/kernel';

/** A message value that is not JSON can never be handled: a non-retriable ValidationError, so it is dead-lettered. */
export function parseRawJson(rawValue: string): unknown {
  try {
    return JSON.parse(rawValue) as unknown;
  } catch (error) {
    throw new ValidationError([{ field: '(body)', message: `must be JSON: ${(error as Error).message}` }]);
  }
}
