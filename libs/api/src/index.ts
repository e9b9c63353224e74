export * from './facades';
export * from './http-api.module';
export * from './create-http-app';
export * from './openapi';
export * from './error-responses';
export * from './access.guard';
