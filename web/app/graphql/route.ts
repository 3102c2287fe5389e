import { forwardToApi } from '@/lib/proxy';

// GraphQL queries and mutations from the browser, to the API (subscriptions go to the API directly).
export function POST(request: Request): Promise<Response> {
  return forwardToApi(request, '/graphql');
}

export const dynamic = 'force-dynamic';
