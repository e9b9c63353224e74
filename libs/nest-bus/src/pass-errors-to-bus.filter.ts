import { applyDecorators, ArgumentsHost, Catch, Controller, RpcExceptionFilter, UseFilters } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';

/**
 * Nest's default RPC filter turns every error into `{ status: 'error', message: 'Internal server
 * error' }` and logs it. The bus decides retries from the error itself (its `retriable` flag, a
 * ValidationError is never retried) and names it in the dead letter's headers, so a handler's
 * error must reach the transport as it was thrown.
 */
@Catch()
export class PassErrorsToBus implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}

/** A controller of bus handlers: `@EventPattern` methods whose errors go back to the bus unchanged. */
export function MessageController(): ClassDecorator {
  return applyDecorators(Controller(), UseFilters(PassErrorsToBus));
}
