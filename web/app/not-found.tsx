import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="auth">
      <div className="auth-card">
        <h1>Not found</h1>
        <p className="muted">There is nothing at this address: it may have been deleted, or the link is wrong.</p>
        <Link className="button primary" href="/datasets">
          Go to datasets
        </Link>
      </div>
    </div>
  );
}
