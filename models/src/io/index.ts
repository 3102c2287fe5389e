export * from './float-tiff';
