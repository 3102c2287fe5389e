export * from './configuration-maps';
export * from './evaluate-halves';
export * from './grid';
export * from './run-sweep';
export * from './sweep-file';
export * from './table';
export * from './trainings';
export * from './transforms';
