export * from './extract/index';
export * from './transform/index';
export * from './realtime/index';
export * from './scratch/index';
export * from './handler-errors/index';
