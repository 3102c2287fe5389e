export * from './float-tiff';
export * from './npy';
