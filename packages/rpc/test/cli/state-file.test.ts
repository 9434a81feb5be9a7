import test from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { UsageError } from '../../dist/cli/args.js'
import { STATE_VERSION, formatState, parseState, readState, writeState } from '../../dist/cli/state-file.js'

const NODES = [{ host: '127.0.0.1', port: 10001 }, { host: '10.0.0.7', port: 49737 }]
const SAVED_AT = new Date('2024-05-01T12:00:00.000Z')

async function tempDir (t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dht-rpc-state-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  return dir
}

test('a state file is a small versioned JSON document: version, savedAt, nodes', () => {
  assert.deepEqual(JSON.parse(formatState(NODES, SAVED_AT)), {
    version: STATE_VERSION,
    savedAt: '2024-05-01T12:00:00.000Z',
    nodes: NODES
  })
  assert.equal(STATE_VERSION, 1)
})

test('what is written is read back the same: the nodes and when they were saved', async (t) => {
  const file = join(await tempDir(t), 'state.json')
  await writeState(file, NODES, SAVED_AT)
  assert.deepEqual(await readState(file), { savedAt: SAVED_AT, nodes: NODES })
  assert.deepEqual(parseState(formatState([], SAVED_AT)), { savedAt: SAVED_AT, nodes: [] })
})

test('a missing file is a fresh start: null, not an error', async (t) => {
  assert.equal(await readState(join(await tempDir(t), 'none.json')), null)
})

test('writing replaces the file whole, through a temporary file in the same folder that is gone after', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'state.json')
  await writeFile(file, 'the old contents')
  await writeState(file, NODES, SAVED_AT)
  assert.deepEqual(await readdir(dir), ['state.json'])
  assert.equal(await readFile(file, 'utf8'), formatState(NODES, SAVED_AT))
  // saves that overlap each write a whole file of their own: the last rename wins, never a mix
  await Promise.all([writeState(file, NODES.slice(0, 1), SAVED_AT), writeState(file, NODES, SAVED_AT)])
  assert.deepEqual(await readdir(dir), ['state.json'])
  assert.ok([formatState(NODES, SAVED_AT), formatState(NODES.slice(0, 1), SAVED_AT)].includes(await readFile(file, 'utf8')))
})

test('a failed write leaves the old file as it was and no temporary file behind', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'state.json')
  await writeState(file, NODES, SAVED_AT)
  await assert.rejects(writeState(join(dir, 'no-such-folder', 'state.json'), NODES, SAVED_AT), { code: 'ENOENT' })
  assert.deepEqual(await readdir(dir), ['state.json'])
  assert.deepEqual(await readState(file), { savedAt: SAVED_AT, nodes: NODES })
})

const BAD: ReadonlyArray<[string, string, RegExp]> = [
  ['not JSON', '{"version": 1, "nodes": [', /not JSON/],
  ['not an object', '[]', /expected an object/],
  ['a newer version', JSON.stringify({ version: 2, savedAt: SAVED_AT, nodes: [] }), /version 2 .*version 1/],
  ['no version', JSON.stringify({ savedAt: SAVED_AT, nodes: [] }), /version/],
  ['a bad date', JSON.stringify({ version: 1, savedAt: 'yesterday', nodes: [] }), /savedAt/],
  ['nodes not a list', JSON.stringify({ version: 1, savedAt: SAVED_AT, nodes: {} }), /nodes/],
  ['a host that is not IPv4', JSON.stringify({ version: 1, savedAt: SAVED_AT, nodes: [{ host: 'example.com', port: 1 }] }), /nodes\[0\]/],
  ['port 0', JSON.stringify({ version: 1, savedAt: SAVED_AT, nodes: [NODES[0], { host: '10.0.0.1', port: 0 }] }), /nodes\[1\]/],
  ['a port out of range', JSON.stringify({ version: 1, savedAt: SAVED_AT, nodes: [{ host: '10.0.0.1', port: 65536 }] }), /nodes\[0\]/],
  ['a port that is a string', JSON.stringify({ version: 1, savedAt: SAVED_AT, nodes: [{ host: '10.0.0.1', port: '80' }] }), /nodes\[0\]/],
  ['a node that is not an object', JSON.stringify({ version: 1, savedAt: SAVED_AT, nodes: [null] }), /nodes\[0\]/]
]

for (const [what, text, reason] of BAD) {
  test(`a state file with ${what} is refused, with the reason`, async (t) => {
    assert.throws(() => parseState(text), reason)
    const file = join(await tempDir(t), 'state.json')
    await writeFile(file, text)
    await assert.rejects(readState(file), (err: Error) => {
      assert.ok(err instanceof UsageError, 'exit code 2, like a bad argument')
      assert.ok(err.message.startsWith(`bad --state file ${JSON.stringify(file)}: `), err.message)
      assert.match(err.message, reason)
      assert.match(err.message, /remove it to start afresh/)
      return true
    })
    assert.equal(await readFile(file, 'utf8'), text, 'a file that cannot be read is never overwritten')
  })
}

test('a state file that cannot be read (a folder here) is refused, naming the file', async (t) => {
  const dir = await tempDir(t)
  await assert.rejects(readState(dir), (err: Error) => err instanceof UsageError && err.message.startsWith(`bad --state file ${JSON.stringify(dir)}: `))
})
