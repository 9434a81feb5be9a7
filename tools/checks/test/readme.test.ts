import test from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { codeBlocks, programs } from '../src/readme-blocks.js'

const FENCE = '```'

test('codeBlocks reads every fence with its language, its line and the mark above it', () => {
  const markdown = [
    '# Title', // 1
    '', // 2
    `${FENCE}js`, // 3
    "console.log('a')", // 4
    FENCE, // 5
    '<!-- fragment: needs your node -->', // 6
    '', // 7
    `${FENCE}TS title="x"`, // 8
    'node.query(target)', // 9
    FENCE, // 10
    '<!-- continues -->', // 11
    '~~~~mjs', // 12
    '```', // 13: not the end, a shorter fence of another kind
    '~~~~', // 14
    '  ```', // 15: indented fence, its body unindented
    '  sh only', // 16
    '  ```' // 17
  ].join('\n')
  assert.deepEqual(codeBlocks(markdown), [
    { line: 3, lang: 'js', code: "console.log('a')", mark: 'run' },
    { line: 8, lang: 'ts', code: 'node.query(target)', mark: 'fragment' },
    { line: 12, lang: 'mjs', code: '```', mark: 'continues' },
    { line: 15, lang: '', code: 'sh only', mark: 'run' }
  ])
})

test('programs: fragments and other languages left out, continued blocks joined', () => {
  const markdown = [
    `${FENCE}js`, 'const a = 1', FENCE,
    `${FENCE}sh`, 'pnpm test', FENCE,
    '<!-- continues -->', `${FENCE}js`, 'console.log(a)', FENCE,
    '<!-- fragment -->', `${FENCE}js`, '{ a: 1, b }', FENCE,
    `${FENCE}cjs`, "require('node:fs')", FENCE,
    `${FENCE}ts`, 'const n: number = 1', FENCE
  ].join('\n')
  assert.deepEqual(programs('README.md', markdown), [
    { file: 'README.md', lines: [1, 8], ext: 'mjs', code: 'const a = 1\n\nconsole.log(a)\n' },
    { file: 'README.md', lines: [15], ext: 'cjs', code: "require('node:fs')\n" },
    { file: 'README.md', lines: [18], ext: 'mts', code: 'const n: number = 1\n' }
  ])
  assert.throws(() => programs('X.md', `<!-- continues -->\n${FENCE}js\n1\n${FENCE}`), /X\.md:2: the block continues no program above it/)
  assert.throws(() => programs('X.md', `${FENCE}js\n1\n${FENCE}\n<!-- continues -->\n${FENCE}ts\n2\n${FENCE}`), /X\.md:5: a ts block cannot continue a \.mjs program/)
})

// Runs the check on a workspace of READMEs that pass and fail in each way it can tell apart.
test('the README check runs each program and fails those that throw, hang or do not type-check', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'dht-readme-fixture-'))
  t.after(() => rmSync(root, { recursive: true, force: true }))
  const files: Record<string, string> = {
    'pnpm-workspace.yaml': 'packages:\n  - packages/*\n',
    'packages/hello/package.json': JSON.stringify({ name: '@dht/hello', type: 'module', exports: { '.': { types: './index.d.ts', default: './index.js' } } }),
    'packages/hello/index.js': "export const hello = (who) => `hello ${who}`\n",
    'packages/hello/index.d.ts': 'export declare const hello: (who: string) => string\n',
    'README.md': [
      `${FENCE}js`, "import { hello } from '@dht/hello'", "const greeting = hello('you')", FENCE, // 1: ok, with the next
      '<!-- continues -->', `${FENCE}js`, "if (greeting !== 'hello you') throw new Error(greeting)", FENCE,
      '<!-- fragment -->', `${FENCE}js`, '{ not: code, at all }', FENCE,
      `${FENCE}js`, "throw new Error('broken example')", FENCE, // 13: fails
      `${FENCE}js`, 'setInterval(() => {}, 1000)', FENCE, // 16: never exits
      `${FENCE}ts`, "import { hello } from '@dht/hello'", 'const n: number = hello(1)', FENCE, // 19: type errors
      `${FENCE}ts`, "import { hello } from '@dht/hello'", "import { strictEqual } from 'node:assert'", "strictEqual(hello('ts'), 'hello ts')", FENCE, // 23: ok
      `${FENCE}cjs`, "const { strictEqual } = require('node:assert')", 'strictEqual(typeof module, "object")', FENCE, // 28: ok
      `${FENCE}sh`, 'exit 1', FENCE
    ].join('\n'),
    'packages/hello/README.md': `<!-- continues -->\n${FENCE}js\n1\n${FENCE}\n`
  }
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), content)
  }
  const cli = fileURLToPath(new URL('../src/readme.js', import.meta.url))
  const { code, stdout } = await new Promise<{ code: number | null, stdout: string }>((resolve) => {
    execFile(process.execPath, [cli, '--root', root, '--timeout', '2000'], { timeout: 60_000 }, (err, stdout) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : null, stdout })
    })
  })
  const verdicts = stdout.split('\n').filter((line) => /^(ok|FAIL)/.test(line)).map((line) => line.split(/\s+/).slice(0, 3).join(' '))
  assert.deepEqual(verdicts, [
    'FAIL packages/hello/README.md blocks',
    'ok README.md:1 runs',
    'FAIL README.md:13 runs',
    'FAIL README.md:16 runs',
    'FAIL README.md:19 types',
    'ok README.md:23 runs',
    'ok README.md:28 runs'
  ], stdout)
  assert.match(stdout, /blocks at lines 1, 6; exited 0/)
  assert.match(stdout, /Error: broken example/)
  assert.match(stdout, /did not exit within 2 s/)
  assert.match(stdout, /error TS2345: Argument of type 'number' is not assignable/)
  assert.match(stdout, /\n4 failed \(7 checks/)
  assert.equal(code, 1)
})
