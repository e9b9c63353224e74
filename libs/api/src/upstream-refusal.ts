/**
 * A service's own refusal (a 4xx) as the gateway received it: status, body and Retry-After. The
 * error filter answers it unchanged, so a caller behind the gateway sees what the service said
 * (a 413, a 429 with its Retry-After, a 403 with its reason), not an outage that is not one.
 */
export class UpstreamRefusal extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    /** The service's Retry-After, as it sent it (seconds or an HTTP date). */
    readonly retryAfter?: string,
  ) {
    super(typeof body['message'] === 'string' ? body['message'] : `upstream answered ${status}`);
    this.name = 'UpstreamRefusal';
  }
}
