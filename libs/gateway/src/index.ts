export * from './gateway';
export * from './http-api.module';
export * from './create-http-app';
export * from './whole-openapi-document';
