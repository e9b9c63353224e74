import { z } from 'zod';
import { Identifier, IsoTimestamp } from './primitives';

/**
 * Every integration message travels in this envelope. `type` carries its version
 * (`CheckoutRequested.v1`) so consumers can accept old and new shapes side by side.
 * `correlationId` is the checkout/order id; `causationId` the message that caused this one.
 */
export const EnvelopeHeader = z.object({
  messageId: z.string().min(1).max(128),
  type: z.string().regex(/^[A-Z][A-Za-z]+\.v[1-9][0-9]*$/, 'must look like Name.v1'),
  correlationId: Identifier,
  causationId: z.string().min(1).max(128),
  occurredAt: IsoTimestamp,
});
export type EnvelopeHeader = z.infer<typeof EnvelopeHeader>;

export interface Envelope<Type extends string = string, Data = unknown> extends EnvelopeHeader {
  readonly type: Type;
  readonly data: Data;
}

export function envelopeSchema<Type extends string, Data extends z.ZodType>(type: Type, data: Data) {
  return EnvelopeHeader.extend({ type: z.literal(type), data });
}
