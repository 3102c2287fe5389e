import Link from 'next/link';

// Shown inside the section's layout (with the header) for unknown ids, and alone for unknown addresses.
export default function NotFound() {
  return (
    <div className="main">
      <div className="panel empty" role="status">
        <h1>Not found</h1>
        <p>There is nothing at this address: it may have been deleted, or the link is wrong.</p>
        <Link className="button primary" href="/datasets">
          Go to datasets
        </Link>
      </div>
    </div>
  );
}
