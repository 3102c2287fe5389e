import { forwardToApi } from '@/lib/proxy';

// Images, thumbnails, masks and maps: the API's /files routes, with the same credentials and cache headers.
export async function GET(request: Request, context: { params: Promise<{ path: string[] }> }): Promise<Response> {
  const { path } = await context.params;
  return forwardToApi(request, `/files/${path.map(encodeURIComponent).join('/')}`);
}

export const dynamic = 'force-dynamic';
