export * from './columns';
export * from './config';
export * from './errors';
export * from './helix';
export * from './keys';
export * from './lake';
export * from './realtime';
export * from './data-dictionary';
