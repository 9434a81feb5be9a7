import test from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { countedProblems, parseProblems } from '../src/attw-check.js'
import { exportTargets } from '../src/built-check.js'
import { entrypoints } from '../src/consumer.js'
import { writeBrokenPackages } from './support/broken-packages.js'

test('entrypoints lists subpaths, not package.json or patterns', () => {
  const exports = { '.': { types: './a.d.ts', default: './a.js' }, './testnet': './testnet.js', './package.json': './package.json', './x/*': './x/*.js' }
  assert.deepEqual(entrypoints({ name: '@dht/rpc', exports }), ['@dht/rpc', '@dht/rpc/testnet'])
  assert.deepEqual(entrypoints({ name: '@dht/a', exports: { types: './a.d.ts', default: './a.js' } }), ['@dht/a'])
  assert.deepEqual(entrypoints({ name: '@dht/a', exports: './a.js' }), ['@dht/a'])
})

test('exportTargets flattens conditions and subpaths', () => {
  const exports = { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './x/*': './dist/x/*.js', './package.json': './package.json' }
  assert.deepEqual(exportTargets(exports), ['./dist/index.d.ts', './dist/index.js', './package.json'])
})

test('attw problems in resolutions the esm-only profile skips are not counted', () => {
  const stdout = JSON.stringify({
    analysis: {
      problems: [
        { kind: 'NoResolution', entrypoint: '.', resolutionKind: 'node10' },
        { kind: 'CJSResolvesToESM', entrypoint: '.', resolutionKind: 'node16-cjs' },
        { kind: 'UntypedResolution', entrypoint: './extra', resolutionKind: 'node16-esm' }
      ]
    }
  })
  const problems = parseProblems(stdout)
  assert.equal(problems?.length, 3)
  assert.deepEqual(countedProblems(problems ?? []).map((p) => p.kind), ['UntypedResolution'])
  assert.equal(parseProblems('not json'), undefined)
})

// Packs, lints and npm-installs a fixture workspace: needs the registry (for @types/node)
// and ~10 s, so it runs only when asked: DHT_CHECKS_PACKAGES=1 node --test …
test('the published-package check fails each broken package, and only those', { skip: process.env['DHT_CHECKS_PACKAGES'] !== '1' && 'set DHT_CHECKS_PACKAGES=1 to run' }, async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'dht-broken-'))
  t.after(() => rmSync(root, { recursive: true, force: true }))
  writeBrokenPackages(root)
  const cli = fileURLToPath(new URL('../src/packages.js', import.meta.url))
  const { code, stdout } = await new Promise<{ code: number | null, stdout: string }>((resolve) => {
    execFile(process.execPath, [cli, '--root', root], { timeout: 120_000 }, (err, stdout) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : null, stdout })
    })
  })
  const verdict = (pkg: string, check: string): string | undefined => {
    const line = stdout.split('\n').find((l) => l.startsWith('ok  ') || l.startsWith('FAIL') ? l.split(/\s+/).slice(1, 3).join(' ') === `${pkg} ${check}` : false)
    return line?.split(/\s+/)[0]
  }
  const expected: Array<[string, string, string]> = [
    ['@dht/good', 'built', 'ok'], ['@dht/good', 'publint', 'ok'], ['@dht/good', 'attw', 'ok'], ['@dht/good', 'import', 'ok'], ['@dht/good', 'types', 'ok'],
    ['@dht/bad', 'publint', 'FAIL'], ['@dht/bad', 'import', 'FAIL'], ['@dht/bad', 'types', 'FAIL'],
    ['@dht/empty', 'attw', 'FAIL'], ['@dht/empty', 'import', 'FAIL'], ['@dht/empty', 'types', 'FAIL'],
    ['@dht/unbuilt', 'built', 'FAIL']
  ]
  for (const [pkg, check, want] of expected) assert.equal(verdict(pkg, check), want, `${pkg} ${check}\n${stdout}`)
  assert.equal(code, 1, stdout)
})
