export * from './service-test-bed';
