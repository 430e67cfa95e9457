import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

// The layer rule (docs/architecture.md, "Layers"): core never imports electron; nothing imports main, cli or renderer.
const forbid = (...groups) => ({
  'no-restricted-imports': ['error', { patterns: groups.map(([group, message]) => ({ group, message })) }],
})
const NO_ELECTRON = [['electron', 'electron/*'], 'Only src/main and src/preload may import electron.']
const NO_MAIN = [['**/main/**', '**/main/*', '**/main'], 'Nothing imports the main process layer.']
const NO_CLI = [['**/cli/**', '**/cli/*', '**/cli'], 'Nothing imports the CLI layer.']
const NO_RENDERER = [
  ['**/renderer/**', '**/renderer/*', '**/renderer'],
  'Nothing imports the renderer layer.',
]
const NO_CORE = [['**/core/**', '**/core/*', '**/core'], 'This layer may not import src/core.']
const NO_NODE = [['node:*', 'fs', 'path', 'os', 'child_process'], 'This layer runs without Node.']

export default tseslint.config(
  { ignores: ['node_modules', 'out', 'dist', '.tsbuild', 'test-results', 'tests/artifacts', 'bench/tmp'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['src/shared/**'], rules: forbid(NO_ELECTRON, NO_MAIN, NO_CLI, NO_RENDERER, NO_CORE, NO_NODE) },
  { files: ['src/core/**'], rules: forbid(NO_ELECTRON, NO_MAIN, NO_CLI, NO_RENDERER) },
  { files: ['src/cli/**'], rules: forbid(NO_ELECTRON, NO_MAIN, NO_RENDERER) },
  { files: ['src/main/**'], rules: forbid(NO_CLI, NO_RENDERER) },
  { files: ['src/preload/**'], rules: forbid(NO_MAIN, NO_CLI, NO_RENDERER, NO_CORE) },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: forbid(NO_ELECTRON, NO_MAIN, NO_CLI, NO_CORE, NO_NODE),
  },
)
