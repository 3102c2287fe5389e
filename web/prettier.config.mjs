// The repository's Prettier options, plus one exception: `next build` writes next-env.d.ts with double quotes,
// and a generated file must not fail `prettier --check` after every build.
import { createRequire } from 'node:module';

const root = createRequire(import.meta.url)('../.prettierrc.json');

export default {
  ...root,
  overrides: [{ files: 'next-env.d.ts', options: { singleQuote: false } }],
};
