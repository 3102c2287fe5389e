import path from 'node:path';

import type { NextConfig } from 'next';

const config: NextConfig = {
  // The workspace root holds the lockfile; telling Next stops it guessing (and warning) on every build.
  turbopack: { root: path.resolve(__dirname, '..') },
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
