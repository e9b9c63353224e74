import type { LoggerService } from '@nestjs/common';
import type { Logger } from '../logger';

type PinoLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** How Nest's ConsoleLogger tells a stack from a context in `error(message, stackOrContext)`. */
const STACK = /^(.)+\n\s+at .+:\d+:\d+/;

/**
 * Nest's own logger (start-up, exceptions, route mapping, every `new Logger(context)`) writing
 * through the process's pino logger: one JSON line per message, with pino's redaction, instead of
 * Nest's coloured text among pino's JSON (ADR 0029). Nest's `log` level is its start-up narration
 * (modules initialised, routes mapped): it is pino's debug, so the default info level stays quiet.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  /** Nest passes `(message, ...details, context)`: the context last when there is one, a stack before it for errors. */
  private write(level: PinoLevel, message: unknown, params: unknown[]): void {
    if (!this.logger.isLevelEnabled(level)) return;
    const last = params.at(-1);
    const context = typeof last === 'string' && !STACK.test(last) ? last : undefined;
    const details = context === undefined ? params : params.slice(0, -1);
    const stack = details.find((detail): detail is string => typeof detail === 'string' && STACK.test(detail));
    const fields = { component: 'nest', ...(context ? { context } : {}), ...(stack ? { stack } : {}) };
    if (message instanceof Error) this.logger[level]({ ...fields, err: message }, message.message);
    else if (message !== null && typeof message === 'object') this.logger[level]({ ...fields, ...message });
    else this.logger[level](fields, String(message));
  }
}
