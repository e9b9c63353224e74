import type { HandedRecord } from './handed-record';

/**
 * What two {@link MessageHandoff}s on different threads tell each other (structured-clone data):
 * which of their consumer groups take a topic, the messages handed to such a group, and the answer
 * once that group handled them. Whoever links the threads carries these messages unchanged.
 */
export type HandoffWireMessage =
  | { readonly kind: 'consumer-attached'; readonly topic: string; readonly groupId: string }
  | { readonly kind: 'consumer-detached'; readonly topic: string; readonly groupId: string }
  | {
      readonly kind: 'deliver';
      readonly id: number;
      readonly topic: string;
      readonly groupId: string;
      readonly records: readonly HandedRecord[];
    }
  | { readonly kind: 'delivered'; readonly id: number }
  | { readonly kind: 'not-delivered'; readonly id: number; readonly reason: string };

/** The other thread, as far as the handoff is concerned: where this side's wire messages go. */
export type HandoffPeer = (message: HandoffWireMessage) => void;
