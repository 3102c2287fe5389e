export * from './datasets';
export * from './io';
export * from './metrics';
export * from './pipeline';
export * from './presets';
export * from './report';
