export * from './tracing';
export * from './trace-propagation';
export * from './http-spans';
export * from './trace-forwarding';
