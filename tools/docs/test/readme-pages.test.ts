import test from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { missingPages, namedPages } from '../src/readme-pages.js'

test('namedPages finds the pages of docs/api/ a README names, once each', () => {
  const markdown = 'Run `pnpm docs:api` and open `docs/api/modules/_dht_rpc.html` (or docs/api/index.html, docs/api/index.html).'
  assert.deepEqual(namedPages(markdown), ['modules/_dht_rpc.html', 'index.html'])
})

test('missingPages reports what a README names that the reference lacks', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'dht-docs-pages-'))
  t.after(() => rmSync(root, { recursive: true, force: true }))
  mkdirSync(join(root, 'out/modules'), { recursive: true })
  writeFileSync(join(root, 'out/modules/_dht_a.html'), '')
  writeFileSync(join(root, 'README.md'), 'open docs/api/modules/_dht_a.html or docs/api/modules/_dht_b.html')
  assert.deepEqual(missingPages(root, ['README.md', 'packages/none/README.md'], join(root, 'out')), [
    'README.md names docs/api/modules/_dht_b.html, which the reference does not have'
  ])
})
