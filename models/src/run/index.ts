export * from './commands';
export * from './prepare';
export * from './run-pipeline';
