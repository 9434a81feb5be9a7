import test from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { docReferences, docsCheck } from '../src/docs-check.js'
import { parsePackOutput } from '../src/pack.js'

test('docReferences finds relative links and the scripts run with node, not URLs or anchors', () => {
  const markdown = [
    'See [the example](examples/key-value.mjs), [CLI](CLI.md#errors), [home](../../README.md),',
    '[npm](https://www.npmjs.com/), [below](#api), [mail](mailto:a@b.c) and ![chart](docs/a%20b.svg "title").',
    '```',
    'node examples/bootstrap.mjs 10001 &',
    '$ node --expose-gc ./bench/run.js',
    'node -e "1"',
    '```',
    'Or `node examples/nodes.mjs`.'
  ].join('\n')
  const { links, runs } = docReferences(markdown)
  assert.deepEqual(links, ['examples/key-value.mjs', 'CLI.md', '../../README.md', 'docs/a b.svg'])
  assert.deepEqual(runs, ['examples/bootstrap.mjs', './bench/run.js', 'examples/nodes.mjs'])
})

test('docsCheck fails for what the shipped Markdown links to or runs that the tarball leaves out', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dht-docs-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  mkdirSync(join(dir, 'docs'))
  writeFileSync(join(dir, 'README.md'), 'Run [it](examples/a.mjs); see [docs](docs/) and [the repo](../../README.md).\n')
  writeFileSync(join(dir, 'docs', 'GUIDE.md'), 'Back to [the readme](../README.md). Then:\n\n    node examples/b.mjs\n')

  const all = docsCheck('@dht/x', dir, ['README.md', 'docs/GUIDE.md', 'examples/a.mjs', 'examples/b.mjs'])
  assert.deepEqual([all.ok, all.check], [true, 'docs'])

  const without = docsCheck('@dht/x', dir, ['README.md', 'docs/GUIDE.md'])
  assert.equal(without.ok, false)
  assert.deepEqual(without.details, [
    'README.md links to examples/a.mjs, which is not in the tarball',
    'docs/GUIDE.md runs node examples/b.mjs, which is not in the tarball',
    'add them to "files" in package.json'
  ])

  // Markdown that is not shipped is not the tarball's business
  assert.equal(docsCheck('@dht/x', dir, ['examples/a.mjs']).ok, true)
})

test('parsePackOutput reads the tarball name and its files after any log lines', () => {
  const stdout = 'some notice\n' + JSON.stringify({ name: '@dht/x', filename: 'dht-x-0.0.0.tgz', files: [{ path: 'README.md' }, { path: 'dist/index.js' }] })
  assert.deepEqual(parsePackOutput(stdout), { filename: 'dht-x-0.0.0.tgz', files: ['README.md', 'dist/index.js'] })
  assert.equal(parsePackOutput('no json here'), undefined)
})
