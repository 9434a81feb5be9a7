import test from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { Logger, LogLevel } from 'typedoc'
import { buildDocs } from '../src/build.js'
import { docPackages } from '../src/entries.js'

// Keeps TypeDoc's messages for the assertions instead of printing them.
class Recorder extends Logger {
  readonly messages: string[] = []
  override log (message: string, level: LogLevel): void {
    super.log(message, level)
    if (level >= LogLevel.Warn) this.messages.push(message)
  }
}

const TSCONFIG = {
  compilerOptions: { rootDir: 'src', outDir: 'dist', module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, types: [] },
  include: ['src']
}

// A workspace of two packages: `a` with a main and a subpath entry, `b` with one.
function workspace (files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'dht-docs-test-'))
  const all: Record<string, string> = {
    'pnpm-workspace.yaml': 'packages:\n  - packages/*\n',
    'README.md': '# fixture\n\nThe index page.\n',
    'packages/a/package.json': JSON.stringify({ name: '@fx/a', exports: { '.': './dist/index.js', './extra': './dist/extra.js', './package.json': './package.json' } }),
    'packages/a/tsconfig.json': JSON.stringify(TSCONFIG),
    'packages/a/README.md': '# @fx/a\n\n## `answer.call()`\n\nThe a package.\n',
    'packages/a/src/index.ts': '/**\n * @packageDocumentation\n * The main entry of a.\n */\n/** Returns 1. */\nexport function a (): number { return 1 }\n',
    'packages/a/src/extra.ts': '/** An extra entry. */\nexport const extra = 2\n',
    'packages/b/package.json': JSON.stringify({ name: '@fx/b', exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } } }),
    'packages/b/tsconfig.json': JSON.stringify(TSCONFIG),
    'packages/b/README.md': '# @fx/b\n',
    'packages/b/src/index.ts': '/** Returns 2. */\nexport function b (): number { return 2 }\n',
    ...files
  }
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  return root
}

test('a documented workspace builds: a page per package with its README, and one per subpath entry', async (t) => {
  const root = workspace({})
  t.after(() => rmSync(root, { recursive: true, force: true }))
  const logger = new Recorder()
  const out = join(root, 'out')
  const result = await buildDocs({ root, packages: docPackages(root), out, logger })
  assert.deepEqual(logger.messages, [])
  assert.deepEqual(result, { ok: true, warnings: 0, errors: 0, missing: [] })
  const a = readFileSync(join(out, 'modules/_fx_a.html'), 'utf8')
  assert.match(a, /The a package\./) // its README
  assert.match(a, /The main entry of a\./) // and its main entry's module comment
  assert.match(a, /href="[^"]*functions\/_fx_a\.a\.html"/) // the main entry's exports are on the package's page
  assert.match(a, /href="#answercall"/) // a heading in code is named by its code
  assert.ok(existsSync(join(out, 'modules/_fx_a.extra.html')))
  assert.ok(existsSync(join(out, 'modules/_fx_b.html')))
})

test('an undocumented export or an entry with no source fails the build, and says which', async (t) => {
  const root = workspace({
    'packages/b/src/index.ts': '/** Returns 2. */\nexport function b (): number { return 2 }\nexport const undocumented = 3\n',
    'packages/b/package.json': JSON.stringify({ name: '@fx/b', exports: { '.': './dist/index.js', './gone': { types: './dist/gone.d.ts' } } })
  })
  t.after(() => rmSync(root, { recursive: true, force: true }))
  const logger = new Recorder()
  const result = await buildDocs({ root, packages: docPackages(root), out: join(root, 'out'), logger })
  assert.equal(result.ok, false)
  assert.deepEqual(result.missing, ['@fx/b/gone'])
  assert.ok(logger.messages.some((m) => /undocumented .*does not have any documentation/.test(m)), logger.messages.join('\n'))
  assert.ok(logger.messages.some((m) => m.includes('@fx/b/gone is exported by its package.json but has no page')), logger.messages.join('\n'))
})
