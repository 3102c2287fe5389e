// The API package as the repository's scripts and cross-package tests use it: the database every entry point
// opens, the configuration, and the environment's errors and ports. The server itself is src/server.ts, imported
// on its own: it loads the whole GraphQL app, whose type-graphql decorators the web package's TypeScript
// settings do not compile, and opening a database must not load it.
export { loadConfig, portFromEnv } from './config';
export { EnvironmentError, exitOnError, freePort, isPortFree, openDatabase } from './db';
