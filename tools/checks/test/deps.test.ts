import test from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkRepo, checkWorkspace, formatViolations } from '../src/deps.js'
import type { Violation, ViolationKind } from '../src/deps.js'
import { ALLOWED } from '../src/graph.js'
import { findImports } from '../src/imports.js'
import { repoRootOf } from '../src/repo.js'
import { readWorkspace } from '../src/workspace.js'
import { healthy, workspace, writeWorkspace } from './support/workspace.js'

test('the repository keeps the dependency order', () => {
  const violations = checkRepo(repoRootOf(import.meta.url))
  assert.equal(formatViolations(violations), '', 'dependency order violations')
})

test('the repository check reads real sources, so its pass means something', () => {
  const { packages } = readWorkspace(repoRootOf(import.meta.url))
  for (const name of Object.keys(ALLOWED)) {
    const pkg = packages.find((p) => p.dir === `packages/${name}`)
    assert.ok(pkg !== undefined, `packages/${name} is read`)
    assert.ok(pkg.sources.length > 0, `packages/${name}/src has sources`)
  }
  const scoped = packages.flatMap((p) => p.sources.flatMap((f) => findImports(f.text))).filter((i) => i.specifier.startsWith('@dht/'))
  assert.ok(scoped.length > 0, 'some @dht import is found (io imports @dht/wire)')
})

test('a healthy synthetic workspace has no violations', () => {
  assert.deepEqual(checkWorkspace(workspace()), [])
})

// Asserts that some violation of `kind` reads exactly `message`.
function assertReported (violations: Violation[], kind: ViolationKind, message: string): void {
  const hit = violations.some((v) => v.kind === kind && v.message === message)
  assert.ok(hit, `expected ${kind} violation:\n  ${message}\ngot:\n  ${formatViolations(violations).replaceAll('\n', '\n  ') || '(none)'}`)
}

test('(a) a static import of a package above is reported', () => {
  const query = healthy('query')
  const violations = checkWorkspace(workspace({
    query: { ...query, sources: { ...query.sources, 'x.ts': `import { Node } from '@dht/rpc'\n` } }
  }))
  assertReported(violations, 'import', 'packages/query/src/x.ts:1 imports @dht/rpc, but query may only depend on io, table, wire')
})

test('(a) re-exports, type imports, side-effect, dynamic and subpath imports are all read', () => {
  const forms = [
    `export { a } from '@dht/nat'`,
    `export * from '@dht/nat'`,
    `export type { A } from '@dht/nat'`,
    `import type {\n  A,\n  B\n} from '@dht/nat'`,
    `import '@dht/nat'`,
    `const m = await import('@dht/nat')`,
    `let t: typeof import('@dht/nat')`,
    `import { createTestnet } from '@dht/rpc/testnet'`
  ]
  for (const form of forms) {
    const violations = checkWorkspace(workspace({ wire: { sources: { 'index.ts': `// header\n${form}\n` } } }))
    const spec = form.includes('@dht/rpc/testnet') ? '@dht/rpc/testnet' : '@dht/nat'
    const line = 2 + form.split('\n').length - 1 // the line the specifier is on
    assertReported(violations, 'import', `packages/wire/src/index.ts:${line} imports ${spec}, but wire is a leaf and may not depend on any @dht package`)
  }
})

test('(a) imports inside comments and strings are not imports', () => {
  const source = [
    '/**',
    ' * import { IO } from \'@dht/rpc\'',
    ' */',
    '// export * from \'@dht/rpc\'',
    'const text = "import x from \'@dht/rpc\'"',
    'const url = \'http://x\' // import(\'@dht/rpc\')',
    'export const imports = 1'
  ].join('\n')
  assert.deepEqual(checkWorkspace(workspace({ nat: { sources: { 'index.ts': source } } })), [])
})

test('(a) a package importing itself by name is reported', () => {
  const violations = checkWorkspace(workspace({ table: { sources: { 'index.ts': `import { x } from '@dht/table'\n` } } }))
  assertReported(violations, 'import', 'packages/table/src/index.ts:1 imports its own package @dht/table; use a relative import')
})

test('(b) a relative import that leaves the package is reported', () => {
  const query = healthy('query')
  const violations = checkWorkspace(workspace({
    query: { ...query, sources: { ...query.sources, 'deep/x.ts': `\nimport { IO } from '../../../io/src/io.js'\n` } }
  }))
  assertReported(violations, 'relative', "packages/query/src/deep/x.ts:2 imports '../../../io/src/io.js', which leaves packages/query; import other packages by name")
  // Going up inside the package is fine.
  const fine = checkWorkspace(workspace({
    query: { ...query, sources: { ...query.sources, 'deep/y.ts': `import { helper } from '../helper.js'\n` } }
  }))
  assert.deepEqual(fine, [])
})

test('(b) an absolute import is reported', () => {
  const violations = checkWorkspace(workspace({ nat: { sources: { 'index.ts': `import x from '/work/io/src/io.js'\n` } } }))
  assertReported(violations, 'relative', "packages/nat/src/index.ts:1 imports '/work/io/src/io.js', which leaves packages/nat; import other packages by name")
})

test('(c) a package.json dependency that is not allowed is reported', () => {
  const violations = checkWorkspace(workspace({
    io: { ...healthy('io'), devDependencies: ['@dht/rpc'] }
  }))
  assertReported(violations, 'manifest', "packages/io/package.json lists @dht/rpc in devDependencies, but io's tests may only use sim, wire")
})

test('(c) an imported package missing from package.json dependencies is reported', () => {
  const violations = checkWorkspace(workspace({
    io: { ...healthy('io'), dependencies: [], devDependencies: ['@dht/wire'] }
  }))
  assertReported(violations, 'manifest', 'packages/io/src/index.ts imports @dht/wire, but packages/io/package.json does not list it in dependencies (only in devDependencies)')
})

test('(d) a missing tsconfig.json reference is reported', () => {
  const violations = checkWorkspace(workspace({ query: { ...healthy('query'), references: ['../io'] } }))
  assertReported(violations, 'reference', 'packages/query/tsconfig.json has no reference to ../table, but query depends on @dht/table')
  assertReported(violations, 'reference', 'packages/query/tsconfig.json has no reference to ../wire, but query depends on @dht/wire')
})

test('(d) an extra or misplaced tsconfig.json reference is reported', () => {
  const io = healthy('io')
  const violations = checkWorkspace(workspace({
    io: { ...io, references: [...(io.references ?? []), '../table/tsconfig.json', '../nat', '../../tools/bench'] },
    wire: { ...healthy('wire'), references: ['../wire'] }
  }))
  assertReported(violations, 'reference', 'packages/io/tsconfig.json references ../table/tsconfig.json, but io may only depend on wire')
  assertReported(violations, 'reference', 'packages/io/tsconfig.json references ../nat, but io may only depend on wire')
  assertReported(violations, 'reference', 'packages/io/tsconfig.json references ../../tools/bench, which is not a package under packages/')
  assertReported(violations, 'reference', 'packages/wire/tsconfig.json references itself (../wire)')
})

test('(d) an allowed reference the package does not use is reported', () => {
  const violations = checkWorkspace(workspace({ query: { ...healthy('query'), references: ['../io', '../table', '../wire'], dependencies: ['@dht/io', '@dht/table'], sources: { 'index.ts': `import { io } from '@dht/io'\nimport { table } from '@dht/table'\n` } } }))
  assertReported(violations, 'reference', 'packages/query/tsconfig.json references ../wire, but query does not depend on @dht/wire')
})

test('(e) a cycle is reported, even when each edge is allowed by a wrong table', () => {
  const allowed = { a: ['b'], b: ['c'], c: ['a'] }
  const spec = (to: string) => ({
    sources: { 'index.ts': `import { x } from '@dht/${to}'\n` },
    dependencies: [`@dht/${to}`],
    references: [`../${to}`]
  })
  const ws = { packages: workspace({ a: spec('b'), b: spec('c'), c: spec('a') }).packages.filter((p) => ['a', 'b', 'c'].some((n) => p.dir === `packages/${n}`)) }
  const violations = checkWorkspace(ws, allowed)
  assert.deepEqual(violations.map((v) => v.kind), ['cycle'])
  assertReported(violations, 'cycle', 'dependency cycle: a -> b -> c -> a (counting imports, package.json and tsconfig.json references, test-only edges aside)')
})

test('(e) a cycle through the real table is reported with the edges that break it', () => {
  const io = healthy('io')
  const violations = checkWorkspace(workspace({
    io: { ...io, sources: { ...io.sources, 'x.ts': `import { lookup } from '@dht/query'\n` } }
  }))
  assertReported(violations, 'import', 'packages/io/src/x.ts:1 imports @dht/query, but io may only depend on wire')
  assertReported(violations, 'cycle', 'dependency cycle: io -> query -> io (counting imports, package.json and tsconfig.json references, test-only edges aside)')
})

test('(f) tests may use a package built on theirs: a devDependency and a test reference, not a cycle', () => {
  // io's tests run on sim's clock, and sim is built on io
  const io = { ...healthy('io'), devDependencies: ['@dht/sim'], testReferences: ['..', '../../sim'] }
  assert.deepEqual(checkWorkspace(workspace({ io })), [])
})

test('(f) a package only the tests use must be referenced from test/tsconfig.json', () => {
  const violations = checkWorkspace(workspace({ io: { ...healthy('io'), devDependencies: ['@dht/sim'], testReferences: ['..'] } }))
  assertReported(violations, 'reference', 'packages/io/test/tsconfig.json has no reference to ../../sim, but packages/io/package.json lists @dht/sim in devDependencies for the tests')
})

test('(f) tests may not reach beyond what TEST_ONLY names', () => {
  const violations = checkWorkspace(workspace({
    io: { ...healthy('io'), devDependencies: ['@dht/sim'], testReferences: ['..', '../../sim', '../../rpc', '../../rpc/test'] }
  }))
  assertReported(violations, 'reference', "packages/io/test/tsconfig.json references ../../rpc, but io's tests may only use sim, wire")
  assertReported(violations, 'reference', 'packages/io/test/tsconfig.json references ../../rpc/test, which is not a package under packages/')
  assert.equal(violations.length, 2, formatViolations(violations))
})

test('(f) a test-only package is still refused to src, dependencies and tsconfig.json', () => {
  const rpc = healthy('rpc')
  const violations = checkWorkspace(workspace({
    rpc: {
      ...rpc,
      sources: { ...rpc.sources, 'x.ts': `import { ManualClock } from '@dht/sim'\n` },
      dependencies: [...rpc.dependencies ?? [], '@dht/sim'],
      references: [...rpc.references ?? [], '../sim']
    }
  }))
  const why = 'rpc may only depend on io, nat, query, table, wire'
  assertReported(violations, 'import', `packages/rpc/src/x.ts:1 imports @dht/sim, but ${why}`)
  assertReported(violations, 'manifest', `packages/rpc/package.json lists @dht/sim in dependencies, but ${why}`)
  assertReported(violations, 'reference', `packages/rpc/tsconfig.json references ../sim, but ${why}`)
})

test('a package outside the graph, or misnamed, is reported', () => {
  const violations = checkWorkspace(workspace({ extra: { sources: {} }, nat: { ...healthy('nat'), name: '@dht/natt' } }))
  assertReported(violations, 'package', 'packages/extra: extra is not in the dependency graph (tools/checks/src/graph.ts)')
  assertReported(violations, 'package', 'packages/nat/package.json is named @dht/natt, but its folder says @dht/nat')
})

test('the check reads a workspace from disk', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'dht-deps-'))
  t.after(() => rmSync(root, { recursive: true, force: true }))
  const query = healthy('query')
  writeWorkspace(root, {
    wire: healthy('wire'),
    io: { ...healthy('io'), devDependencies: ['@dht/sim'], testReferences: ['..'] },
    sim: healthy('sim'),
    table: healthy('table'),
    query: {
      ...query,
      sources: { ...query.sources, 'lookup/walk.ts': `import type { Node } from '@dht/rpc'\nimport { x } from '../../../io/src/io.js'\n` }
    }
  })
  const violations = checkRepo(root)
  assertReported(violations, 'import', 'packages/query/src/lookup/walk.ts:1 imports @dht/rpc, but query may only depend on io, table, wire')
  assertReported(violations, 'relative', "packages/query/src/lookup/walk.ts:2 imports '../../../io/src/io.js', which leaves packages/query; import other packages by name")
  assertReported(violations, 'reference', 'packages/io/test/tsconfig.json has no reference to ../../sim, but packages/io/package.json lists @dht/sim in devDependencies for the tests')
  assert.equal(violations.length, 3, formatViolations(violations))
})
