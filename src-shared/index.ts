export * from './contract';
export * from './domain';
export * from './errors';
export * from './settings';
export * from './csv';
export * from './arguments';
export * from './check';
export * from './plural';
