import test from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { codeWords, entryDeclarations, readmeExportsCheck } from '../src/readme-exports.js'

// A package with a root entry point and a subpath, exporting a class, a function, a constant,
// types, a default and a CommonJS alias, and a JSON data subpath that is not code.
const MANIFEST = {
  name: '@dht/fixture',
  exports: {
    '.': { types: './dist/index.d.ts', default: './dist/index.js' },
    './extra': { types: './dist/extra.d.ts', default: './dist/extra.js' },
    './data/v1.json': './data/v1.json',
    './package.json': './package.json'
  }
}
const FILES: Record<string, string> = {
  'dist/index.d.ts': [
    "import { Thing } from './thing.js'",
    'export default Thing',
    "export { Thing, Thing as 'module.exports' }",
    "export * from './more.js'",
    'export declare const LIMIT = 3',
    'export type Options = { size?: number }',
    ''
  ].join('\n'),
  'dist/thing.d.ts': 'export declare class Thing {}\n',
  'dist/more.d.ts': 'export declare function make (): void\nexport interface Made { readonly ok: boolean }\n',
  'dist/extra.d.ts': 'export declare function extra (): void\n'
}

function writeFixture (t: test.TestContext, readme: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'dht-readme-exports-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(join(dir, 'dist'), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  writeFileSync(join(dir, 'README.md'), readme)
  return dir
}

test('codeWords reads identifiers in backticks and fenced blocks, not in prose', () => {
  const words = codeWords([
    'The Thing makes things; `new Thing(opts)` and ``a `LIMIT` inside``.',
    '```js',
    'make() // MAX_RTO',
    '```',
    'Prose MAX_RTOS and `MAX_SENDS`.'
  ].join('\n'))
  for (const word of ['new', 'Thing', 'opts', 'LIMIT', 'make', 'MAX_RTO', 'MAX_SENDS']) assert.ok(words.has(word), word)
  assert.equal(words.has('things'), false)
  assert.equal(words.has('MAX_RTOS'), false)
  assert.equal(words.has('Prose'), false)
})

test('entryDeclarations reads the types of each code subpath, and leaves out data and package.json', () => {
  assert.deepEqual(entryDeclarations('@dht/fixture', MANIFEST), [
    { specifier: '@dht/fixture', file: './dist/index.d.ts' },
    { specifier: '@dht/fixture/extra', file: './dist/extra.d.ts' }
  ])
  assert.deepEqual(entryDeclarations('@dht/a', { exports: { types: './a.d.ts', default: './a.js' } }), [{ specifier: '@dht/a', file: './a.d.ts' }])
  assert.deepEqual(entryDeclarations('@dht/a', { exports: './a.js' }), [{ specifier: '@dht/a', file: undefined }])
})

test('an export the README does not show as code fails the check, per entry point', (t) => {
  const dir = writeFixture(t, '# fixture\n\n`Thing` and `make()`; the Options and the LIMIT in prose.\n')
  const result = readmeExportsCheck('@dht/fixture', dir, MANIFEST)
  assert.equal(result.ok, false)
  assert.equal(result.check, 'exports')
  assert.deepEqual(result.details.slice(1), [
    '@dht/fixture: LIMIT Made Options',
    '@dht/fixture/extra: extra'
  ])
})

test('a README that names every export, in spans or blocks, passes', (t) => {
  const readme = [
    '# fixture',
    '',
    '```js',
    "import Thing, { make, LIMIT } from '@dht/fixture'",
    "import { extra } from '@dht/fixture/extra'",
    '```',
    '',
    '- `Options`: how big; `Made`: what `make()` returns',
    ''
  ].join('\n')
  const result = readmeExportsCheck('@dht/fixture', writeFixture(t, readme), MANIFEST)
  assert.deepEqual([result.ok, result.details], [true, ['README.md names all 6 exports']])
})

test('an entry point without declarations, or not built, fails', (t) => {
  const dir = writeFixture(t, '`Thing`\n')
  const untyped = readmeExportsCheck('@dht/fixture', dir, { exports: { '.': './dist/index.js', './gone': { types: './dist/gone.d.ts' } } })
  assert.equal(untyped.ok, false)
  assert.deepEqual(untyped.details.slice(1), [
    '@dht/fixture: no declarations (a "types" condition) to read its exports from',
    '@dht/fixture/gone: ./dist/gone.d.ts is missing (run pnpm build)'
  ])
})
