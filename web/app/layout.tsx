import type { Metadata } from 'next';
import type { ReactNode } from 'react';

import './styles/base.css';
import './styles/controls.css';
import './styles/feedback.css';

export const metadata: Metadata = {
  title: { default: 'VAD', template: '%s · VAD' },
  description: 'Interpretable visual anomaly detection: datasets, runs, results, masks and evaluations',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
