export * from './curves-figure';
export * from './panels-figure';
export * from './report';
