export * from './legacy';
export * from './run-options';
