export * from './config';
export * from './config-fields';
export * from './context';
export * from './data-spec';
export * from './evaluate';
export * from './events';
export * from './explain';
export * from './explain-store';

export * from './paths';

export * from './train';
export * from './reconstruction-quality';
