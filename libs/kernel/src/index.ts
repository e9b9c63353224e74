export * from './decider';
export * from './clock';
export * from './errors';
export * from './ids';
export * from './seeded-random';
export * from './serial-passes';
export * from './terminal-text';
export * from './key-partition';
