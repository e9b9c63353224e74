import { BaseRpcContext } from '@nestjs/microservices';
import type { Headers, IncomingMessage } from '@stockade/messaging';

/**
 * What a `@Ctx()` parameter receives in a handler served by MessageBusServer: the bus message
 * around the payload (key, headers, origin, attempt). The payload itself (`@Payload()`) is the
 * message's raw UTF-8 value; parsing and validating it is the application service's job, so a
 * malformed message becomes a non-retriable ValidationError and goes to the dead-letter topic.
 */
export class BusContext extends BaseRpcContext<[IncomingMessage]> {
  constructor(message: IncomingMessage) {
    super([message]);
  }

  getMessage(): IncomingMessage {
    return this.args[0];
  }

  getTopic(): string {
    return this.args[0].topic;
  }

  getKey(): string {
    return this.args[0].key;
  }

  getHeaders(): Headers {
    return this.args[0].headers;
  }

  getPartition(): number {
    return this.args[0].partition;
  }

  getOffset(): string {
    return this.args[0].offset;
  }

  /** 1 on the first delivery, 2, 3, … on the bus's retries. */
  getAttempt(): number {
    return this.args[0].attempt;
  }
}
