export * from './inventory-bridge-protocol';
export * from './inventory-thread';
export * from './embedded-inventory';
