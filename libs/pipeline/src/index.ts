export * from './extract/index';
export * from './transform/index';
