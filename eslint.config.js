// Lint rules: typescript-eslint's recommended set plus the two rules that matter
// most in a test-heavy repository: no floating promises (a forgotten await is
// exactly the bug that leaks queries past a test's transaction) and no focused tests.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', 'docs/api/', '.tmp/', 'src/testing/dist/', 'examples/*/node_modules/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'test', property: 'only', message: 'A committed .only silently skips the rest of the suite.' },
        { object: 'it', property: 'only', message: 'A committed .only silently skips the rest of the suite.' },
        { object: 'describe', property: 'only', message: 'A committed .only silently skips the rest of the suite.' },
      ],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Example projects: CommonJS JavaScript apps (their .mjs test files are ES modules), no type information.
    files: ['examples/**/*.{js,cjs,mjs}'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['examples/**/*.{js,cjs}'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The Jest example's tests use Jest's globals (test, expect, beforeEach...).
    files: ['examples/jest/test/**/*.js'],
    languageOptions: { globals: globals.jest },
  },
  {
    // The Mocha example's tests use Mocha's globals (describe, it, before...).
    files: ['examples/mocha/test/**/*.js'],
    languageOptions: { globals: globals.mocha },
  },
);
