import { ErrorState } from '@/components/ui';
import { comparedImages } from '@/lib/domain/compare';
import { load } from '@/lib/server-data';
import { ImagePicker } from './image-picker';

/** How many of the most disputed images are offered as links; the select holds every image. */
const DISPUTED = 8;

/** The images to compare the runs on: the most disputed first, and any other from a list. */
export async function ImageChoice({
  runIds,
  labels,
  imageId,
}: {
  runIds: string[];
  labels: string[];
  imageId: string | undefined;
}) {
  const images = await load((client) => comparedImages(client, runIds));
  if (!images.ok) return <ErrorState title="The runs' scores could not be read" message={images.message} />;
  return <ImagePicker images={images.value} disputed={DISPUTED} labels={labels} imageId={imageId ?? null} />;
}
