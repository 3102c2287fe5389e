// `cd web && npx eslint .`: the repository's rules plus React's and Next's, for web/ only. (`npx eslint web`
// from the root runs the repository's rules, which this file extends.)
import nextPlugin from '@next/eslint-plugin-next';
import reactHooks from 'eslint-plugin-react-hooks';

import root from '../eslint.config.mjs';

export default [
  ...root,
  { ignores: ['lib/graphql/generated.ts'] },
  reactHooks.configs.flat['recommended-latest'],
  nextPlugin.configs['core-web-vitals'],
  {
    rules: {
      // Images come from the API through /files with the user's session cookie; Next's image optimiser would
      // fetch them without it. Thumbnails are already sized by the API.
      '@next/next/no-img-element': 'off',
    },
  },
];
