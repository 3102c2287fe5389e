import js from '@eslint/js';
import nextPlugin from '@next/eslint-plugin-next';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const WEB = ['web/**/*.{ts,tsx}'];

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/build/**', '**/dist/**', '**/.next/**', '.data/**', '**/next-env.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
  },
  // Scripts for API users: plain Node ES modules.
  {
    files: ['api/examples/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', fetch: 'readonly' } },
  },
  // The web app: React's hook rules and Next's.
  { files: WEB, ...reactHooks.configs.flat['recommended-latest'] },
  { files: WEB, ...nextPlugin.configs['core-web-vitals'] },
  {
    files: WEB,
    settings: { next: { rootDir: 'web/' } },
    rules: {
      // Images come from the API through /files with the user's session cookie; Next's image optimiser would
      // fetch them without it. Thumbnails are already sized by the API.
      '@next/next/no-img-element': 'off',
    },
  },
  {
    // Web tests run from the repository root, where tsx resolves imports with the root tsconfig: it has no `@/`.
    files: ['web/lib/**/*.ts', 'web/scripts/**/*.ts', 'web/test/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@/*'],
              message: 'What web tests import uses relative paths (`@/` is for app/ and components/).',
            },
          ],
        },
      ],
    },
  },
);
