export * from './grid';
export * from './run-sweep';
export * from './split';
export * from './table';
export * from './transforms';
