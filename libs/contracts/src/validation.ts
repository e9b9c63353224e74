import { z } from 'zod';
import { ValidationError } from '@stockade/kernel';

/**
 * Parses untrusted input (an HTTP body, a Kafka value) or throws a ValidationError whose
 * issues name each bad field by its path, e.g. `lines.1.quantity: must be at least 1`.
 */
export function parseOrThrow<Schema extends z.ZodType>(schema: Schema, input: unknown, root = ''): z.infer<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(
    result.error.issues.flatMap((issue) => {
      const at = [root, ...issue.path.map(String)].filter((part) => part !== '');
      // A field the contract does not have (`status`, `price`) is named itself, so a client sees which one to drop.
      if (issue.code === 'unrecognized_keys')
        return issue.keys.map((key) => ({ field: [...at, key].join('.'), message: 'is not a field of this request' }));
      return [{ field: at.join('.') || '(body)', message: issue.message }];
    }),
  );
}
