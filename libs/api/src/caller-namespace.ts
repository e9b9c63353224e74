import {
  channelNamespace,
  EVERY_NAMESPACE,
  Identifier,
  IdNamespace,
  parseOrThrow,
  sharedNamespace,
} from '@stockade/contracts';
import { StockadeError } from '@stockade/kernel';
import { Caller, channelOf } from './access.guard';
import type { AccessPolicy } from './facades';

/** What a route learns about its caller from the AccessGuard (it sets `stockadeCaller`). */
export interface CallerRequest {
  readonly stockadeCaller?: Caller;
}

/** An order or a cart as stored: its id and its customer. */
export interface Owned {
  readonly id: string;
  readonly customerId: string;
}

/**
 * The ids one request may name, create and reach (ADR 0021). A channel's ids are stored under
 * `<channel>:` and its customers are `<channel>:…`; a caller without a channel works in the shared
 * namespace, where no configured channel's prefix may appear; operators reach every namespace.
 * What a caller may not reach is answered as unknown (404), never as forbidden, so another
 * namespace's ids can be neither blocked nor probed.
 */
export class CallerNamespace {
  private constructor(
    private readonly namespace: IdNamespace,
    /** What this caller's customer ids must look like, for a refusal's message. */
    private readonly customerRule: string,
  ) {}

  /** Of this request: the operator, a channel, or the shared namespace (also when no guard named the caller). */
  static of(request: CallerRequest, access: AccessPolicy): CallerNamespace {
    if (request.stockadeCaller?.role === 'operator') return new CallerNamespace(EVERY_NAMESPACE, 'any id');
    const channel = channelOf(request);
    if (channel !== undefined)
      return new CallerNamespace(
        channelNamespace(channel),
        `must start with ${channel}: (a ${channel} token places orders and carts for its own customers only)`,
      );
    const channels = [...new Set([...(access.channelTokens?.values() ?? []), ...(access.salesChannels ?? [])])];
    return new CallerNamespace(
      sharedNamespace(new Set(channels)),
      `must not start with a sales channel's prefix (${channels.map((name) => `${name}:`).join(', ')})`,
    );
  }

  get reachesEverything(): boolean {
    return this.namespace === EVERY_NAMESPACE;
  }

  /** The stored id of a new object the caller names (`chk-1` → `web:chk-1`): 400 when it grows too long, 403 when it is another namespace's. */
  idToCreate(given: string, field: string): string {
    const id = this.qualified(given, field);
    if (!this.namespace.owns(id))
      throw forbidden(
        field,
        "must not start with a sales channel's prefix: ids of a channel are created with its token",
      );
    return id;
  }

  /** The stored id of an object the caller names, or undefined when it cannot be the caller's (answer 404 without looking). */
  idToReach(given: string, field: string): string | undefined {
    const id = this.qualified(given, field);
    return this.namespace.owns(id) ? id : undefined;
  }

  /** The customer of a new order or cart: the caller's own (403 otherwise); none given is the namespace's guest. */
  customerToCreate(given: string | undefined, field = 'customerId'): string {
    const customerId = given ?? this.namespace.qualify('guest');
    if (!this.namespace.owns(customerId)) throw forbidden(field, this.customerRule);
    return customerId;
  }

  /** Whether a stored order or cart is the caller's: its id and its customer both in the caller's namespace. */
  reaches(stored: Owned): boolean {
    return this.namespace.owns(stored.id) && this.namespace.owns(stored.customerId);
  }

  private qualified(given: string, field: string): string {
    return parseOrThrow(Identifier, this.namespace.qualify(parseOrThrow(Identifier, given, field)), field);
  }
}

function forbidden(field: string, message: string): StockadeError {
  return new StockadeError('FORBIDDEN', `${field} ${message}`, { issues: [{ field, message }] });
}
