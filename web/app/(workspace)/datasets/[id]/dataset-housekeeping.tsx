'use client';

import { RenameDelete } from '@/components/rename-delete';
import { datasetDeletion, deleteDataset, describeDatasetDeletion, renameDataset } from '@/lib/domain/housekeeping';
import { browserClient } from '@/lib/graphql/browser';
import { ApiError } from '@/lib/graphql/client';

/** Admins rename a dataset, or delete it once told what goes with it (refused while its runs are active). */
export function DatasetHousekeeping({ id, name }: { id: string; name: string }) {
  return (
    <RenameDelete
      what="dataset"
      name={name}
      maxLength={100}
      rename={(next) => renameDataset(browserClient, id, next)}
      describeDeletion={async () => {
        const dataset = await datasetDeletion(browserClient, id);
        if (!dataset) throw new ApiError('This dataset no longer exists', 'NOT_FOUND');
        return describeDatasetDeletion(dataset);
      }}
      remove={() => deleteDataset(browserClient, id)}
      afterDelete="/datasets"
    />
  );
}
