import { forwardToApi } from '@/lib/proxy';

// Zip uploads for dataset imports, streamed to the API's POST /uploads.
export function POST(request: Request): Promise<Response> {
  return forwardToApi(request, '/uploads');
}

export const dynamic = 'force-dynamic';
