import Link from 'next/link';
import type { ReactNode } from 'react';

import { runName } from '@/lib/domain/runs';

/** The head of a run's sub-pages: crumbs back to the run, the title, what the page shows, a link to its sibling. */
export function RunPageHead({
  run,
  title,
  sibling,
  children,
}: {
  run: { id: string; name: string | null };
  title: string;
  sibling: { href: string; label: string };
  children: ReactNode;
}) {
  return (
    <div className="page-head">
      <div>
        <div className="crumbs">
          <Link href="/runs">Runs</Link> / <Link href={`/runs/${run.id}`}>{runName(run)}</Link> /
        </div>
        <h1>{title}</h1>
        <p>{children}</p>
      </div>
      <Link className="button" href={sibling.href}>
        {sibling.label}
      </Link>
    </div>
  );
}
