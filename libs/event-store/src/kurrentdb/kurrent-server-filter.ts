import { streamNameFilter, type Filter } from '@kurrent/kurrentdb-client';
import type { StreamNameFilterOptions } from './kurrent-stream-names';

/** The client's filter for our stream-name filter options (its overloads take one shape at a time). */
export function serverFilter(options: StreamNameFilterOptions): Filter {
  return 'regex' in options
    ? streamNameFilter({ regex: options.regex })
    : streamNameFilter({ prefixes: options.prefixes });
}
