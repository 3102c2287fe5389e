export * from './image-auroc';
export * from './image-score';
export * from './pixel-evaluation';
