import { ErrorState } from '@/components/ui';
import { imageAcrossRuns } from '@/lib/domain/compare';
import { load } from '@/lib/server-data';
import { SyncedMaps } from './synced-maps';

/** Each run's maps of one image, fetched in one request, shown by the synced panels. */
export async function MapsAcrossRuns({
  runIds,
  labels,
  imageId,
  mapType,
}: {
  runIds: string[];
  labels: string[];
  imageId: string;
  mapType: string;
}) {
  const readings = await load((client) => imageAcrossRuns(client, runIds, imageId));
  if (!readings.ok) return <ErrorState title="The image's maps could not be loaded" message={readings.message} />;
  const image = readings.value.find((reading) => reading)?.image;
  if (!image) return <p className="muted">None of these runs scored this image.</p>;
  return (
    <SyncedMaps
      image={image}
      runs={readings.value.map((reading, index) => ({ id: runIds[index]!, label: labels[index]!, reading }))}
      initialMapType={mapType}
    />
  );
}
