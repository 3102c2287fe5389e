import type { Metadata } from 'next';

import { ErrorState } from '@/components/ui';
import { editorSearch, loadAnnotation, parseEditorContext } from '@/lib/domain/masks';
import { found, load, requireSession } from '@/lib/server-data';
import { MaskEditor } from './mask-editor/mask-editor';

export const metadata: Metadata = { title: 'Mask editor' };

export default async function AnnotatePage({
  params,
  searchParams,
}: {
  params: Promise<{ imageId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ imageId }, search] = await Promise.all([params, searchParams]);
  const [session, loaded] = await Promise.all([requireSession(), load((client) => loadAnnotation(client, imageId))]);
  if (!loaded.ok || !session.ok) {
    return (
      <main className="main">
        <ErrorState message={loaded.ok ? 'The session could not be checked' : loaded.message} />
      </main>
    );
  }
  const value = found(loaded.value.image);
  const context = parseEditorContext(search, value.dataset.id);
  return (
    <MaskEditor
      key={value.id}
      image={value}
      context={context}
      contextSearch={editorSearch(context)}
      user={{ id: session.value.user.id, canAnnotate: session.value.can.annotate, canReview: session.value.can.admin }}
      colourMaps={loaded.value.colourMaps}
    />
  );
}
