/**
 * What operators never see (ADR 0021): a shopper's payment token, and the gateway's reference that
 * stands for it, wherever an operator view shows stored or dead-lettered data (the event feed, order
 * and stock stories, dead letters, and so the dashboard and the CLI). Events written before ADR 0021
 * still hold raw tokens in the store: they are redacted here, on the way out.
 */
export const SECRET_FIELDS: ReadonlySet<string> = new Set(['paymentToken', 'paymentRef']);
export const REDACTED = '[redacted]';

/** A copy of `value` with every secret field's value, at any depth, replaced by `[redacted]`. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [key, SECRET_FIELDS.has(key) ? REDACTED : redactSecrets(field)]),
  );
}

/**
 * A message value as text with its secrets redacted, when it is JSON holding any; undefined when
 * it holds none or is not JSON, so it is shown byte for byte.
 */
export function redactedJsonText(text: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  return holdsSecret(parsed) ? JSON.stringify(redactSecrets(parsed)) : undefined;
}

function holdsSecret(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(holdsSecret);
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([key, field]) => SECRET_FIELDS.has(key) || holdsSecret(field));
}
