import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'console/dist', 'data', '.tools', 'src/http/public/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false } },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // The core never reaches into a channel's platform SDK: adapters are the only edge.
    files: ['src/**/*.ts'],
    ignores: ['src/features/escalation/slack/**', 'src/main.ts', 'src/app/charla.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'telegraf',
            'twitter-api-v2',
            'botbuilder',
            'whatsapp-web.js',
            '**/channels/**',
          ],
        },
      ],
    },
  },
  {
    // No function over 150 lines (issue 17). Counted like `npm run report:functions`
    // (scripts/longest-functions.ts): every line, blank and comment lines included.
    files: ['src/**/*.ts', 'channels/**/*.ts', 'console/src/**/*.{ts,tsx}'],
    rules: { 'max-lines-per-function': ['error', { max: 150 }] },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
