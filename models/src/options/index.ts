export * from './legacy';
export * from './run-options';
export * from './validate';
