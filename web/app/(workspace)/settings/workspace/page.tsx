import type { Metadata } from 'next';

import { ErrorState } from '@/components/ui';
import { workspaceSettings } from '@/lib/domain/review';
import { load, requireSession } from '@/lib/server-data';
import { SelfReviewSetting } from './self-review-setting';

export const metadata: Metadata = { title: 'Workspace settings' };

export default async function WorkspaceSettingsPage() {
  const session = await requireSession();
  if (session.ok && !session.value.can.admin) {
    return <ErrorState title="Admins only" message="Workspace settings are changed by admins." />;
  }
  const settings = await load(workspaceSettings);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Workspace settings</h1>
          <p>Rules for everyone in this workspace.</p>
        </div>
      </div>
      {settings.ok ? (
        <SelfReviewSetting initial={settings.value.allowSelfReview} />
      ) : (
        <ErrorState message={settings.message} />
      )}
    </>
  );
}
