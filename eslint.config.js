import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'coverage/', 'test-results/', 'bench/results/', 'docs/', 'eslint.config.js'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Layering: the domain and the formats never reach for I/O.
      'no-restricted-imports': 'off',
    },
  },
  {
    files: ['src/domain/**', 'src/formats/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:fs', 'node:fs/*', 'fs', 'node:net', 'node:http', 'node:child_process'], message: 'domain/ and formats/ are pure: pass data in, no I/O.' },
          { group: ['**/store/**', '**/server/**', '**/cli/**'], message: 'Imports point inward: domain/ and formats/ never import outer layers.' },
        ],
      }],
    },
  },
  {
    files: ['src/domain/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'fs', 'path'], message: 'domain/ is pure TypeScript with no platform I/O.' },
          { group: ['**/formats/**', '**/store/**', '**/server/**', '**/cli/**'], message: 'domain/ is the core: it imports nothing outward.' },
        ],
      }],
    },
  },
);
