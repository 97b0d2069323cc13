// Lint rules of the web app. Besides the usual TypeScript and React hooks rules:
// - imports flow one way, app/ -> features/ -> components/, lib/ (STYLE.md, the web section), and
//   features do not import each other (they meet in app/);
// - no text in JSX: every visible text goes through an i18n key.
import { readdirSync } from 'node:fs';

import js from '@eslint/js';
import importPlugin from 'eslint-plugin-import';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const features = readdirSync(new URL('./src/features', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

const layering = [
  { target: './src/features', from: './src/app', message: 'features/ must not import app/' },
  { target: './src/components', from: './src/app', message: 'components/ must not import app/' },
  { target: './src/components', from: './src/features', message: 'components/ must not import features/' },
  { target: './src/lib', from: './src/app', message: 'lib/ must not import app/' },
  { target: './src/lib', from: './src/features', message: 'lib/ must not import features/' },
  { target: './src/lib', from: './src/components', message: 'lib/ must not import components/' },
  ...features.map((feature) => ({
    target: `./src/features/${feature}`,
    from: './src/features',
    except: [`./${feature}`],
    message: 'features do not import each other: compose them in app/',
  })),
];

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'src/api-types.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { import: importPlugin, 'react-hooks': reactHooks },
    settings: { 'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js'] } } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'import/no-restricted-paths': ['error', { zones: layering }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.tsx'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'JSXText[value=/[A-Za-z\\u4e00-\\u9fff]/]',
          message: 'Visible text goes through i18n: t("...")',
        },
        {
          selector:
            'JSXAttribute[name.name=/^(title|placeholder|label|alt|aria-label|description|extra|help)$/] > Literal[value=/[A-Za-z\\u4e00-\\u9fff]/]',
          message: 'Visible text goes through i18n: t("...")',
        },
      ],
    },
  },
  {
    files: ['e2e/**/*.ts', 'scripts/**/*.{ts,mjs}', '*.config.{ts,js}'],
    languageOptions: { globals: { ...globals.node } },
  },
);
