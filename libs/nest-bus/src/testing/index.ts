export * from './nest-transport-bus';
