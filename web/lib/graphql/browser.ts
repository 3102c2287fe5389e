import { createGraphqlClient, type GraphqlClient } from './client';

/** The client of client components: the app's own /graphql (proxied to the API), with the session cookie. */
export const browserClient: GraphqlClient = createGraphqlClient({ url: '/graphql' });
