/**
 * Text that came from data (a Kafka key or header, a dead letter's value or error, a customer id)
 * made safe to print on an operator's terminal: every control character becomes a visible
 * escape, so a key holding `\x1b]0;…\x07` or `\x1b[2J` cannot retitle, clear or recolour the
 * terminal, and a `\r` cannot overwrite what was printed before it on the line.
 *
 * - C0 controls and DEL (U+0000–U+001F, U+007F): `\t`, `\n`, `\r` as such, the rest as `\xHH`
 *   (ESC is `\x1b`).
 * - C1 controls (U+0080–U+009F, e.g. U+009B, a one-character CSI to many terminals): `\u009b`.
 *
 * Everything else is left as it is, backslashes included: this is for reading, not a reversible
 * encoding (machine output is JSON; see `terminalSafeJson`).
 */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;
const NAMED: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

export function escapeControlCharacters(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (character) => {
    const named = NAMED[character];
    if (named) return named;
    const code = character.charCodeAt(0);
    return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** A JSON-like value with every string in it (keys too) escaped: a report read from a server, before it is rendered for a person. */
export function escapeControlCharactersIn<T>(value: T): T {
  if (typeof value === 'string') return escapeControlCharacters(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => escapeControlCharactersIn(item)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [escapeControlCharacters(key), escapeControlCharactersIn(item)]),
    ) as T;
  }
  return value;
}

/**
 * JSON for a terminal or a pipe: JSON.stringify already escapes C0 controls, but writes DEL and
 * the C1 controls as they are; those become `\u007f`…`\u009f`, which parse back to the same value.
 */
export function terminalSafeJson(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(
    /[\u007f-\u009f]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
