export * from './cli';
export * from './closed-pipe';
