import pino, { Logger } from 'pino';

/** Structured JSON logs (pino): one line per event, cheap enough for the hot path's error cases. */
export function createLogger(level: string, name = 'stockade'): Logger {
  return pino({ name, level });
}

export type { Logger };
