export * from './inventory.module';
export * from './inventory.tokens';
export * from './inventory-commands.controller';
export * from './supplier-simulator.module';
