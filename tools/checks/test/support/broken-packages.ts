/**
 * A workspace of packages, each broken in a way the published-package check must catch,
 * next to one healthy package. Used by packages.test.ts.
 */

import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

const MANIFEST = { version: '0.0.0', type: 'module', license: 'MIT', files: ['dist'], sideEffects: false, engines: { node: '>=20' } }
const EXPORTS = { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './package.json': './package.json' }

const FILES: Record<string, unknown> = {
  'pnpm-workspace.yaml': 'packages:\n  - packages/*\n',
  'package.json': { name: 'fixture', private: true },

  // Healthy: everything passes, a JSON data export too (imported with type: 'json').
  'packages/good/package.json': { name: '@dht/good', ...MANIFEST, files: ['dist', 'data'], exports: { ...EXPORTS, './data/v1.json': './data/v1.json' } },
  'packages/good/dist/index.js': 'export const good = 1\n',
  'packages/good/dist/index.d.ts': 'export declare const good = 1\n',
  'packages/good/data/v1.json': [{ name: 'a vector' }],
  'packages/good/README.md': '# @dht/good\n\n`good`: a number.\n',

  // publint: `default` before `types`. import: a dependency only the workspace has.
  // types: the .d.ts imports a module nobody declares.
  'packages/bad/package.json': { name: '@dht/bad', ...MANIFEST, exports: { '.': { default: './dist/index.js', types: './dist/index.d.ts' } } },
  'packages/bad/dist/index.js': "export { Duplex } from 'not-installed-anywhere'\n",
  'packages/bad/dist/index.d.ts': "export type { Foo } from 'not-a-dependency'\n",

  // attw and types: ./extra has no declarations. import: the root exports nothing.
  // exports: no README.md to name them in.
  'packages/empty/package.json': { name: '@dht/empty', ...MANIFEST, exports: { ...EXPORTS, './extra': './dist/extra.js' } },
  'packages/empty/dist/index.js': 'export {}\n',
  'packages/empty/dist/index.d.ts': 'export {}\n',
  'packages/empty/dist/extra.js': 'export const extra = 1\n',

  // built: its exports point at a file that is not there.
  'packages/unbuilt/package.json': { name: '@dht/unbuilt', ...MANIFEST, exports: EXPORTS }
}

export function writeBrokenPackages (root: string): void {
  for (const [path, content] of Object.entries(FILES)) {
    const file = join(root, path)
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2))
  }
}
