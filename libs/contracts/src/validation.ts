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
    result.error.issues.map((issue) => ({
      field: [root, ...issue.path.map(String)].filter((part) => part !== '').join('.') || '(body)',
      message: issue.message,
    })),
  );
}
