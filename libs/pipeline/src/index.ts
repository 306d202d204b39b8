export * from './extract/index';
export * from './transform/index';
export * from './realtime/index';
export * from './scratch/index';
