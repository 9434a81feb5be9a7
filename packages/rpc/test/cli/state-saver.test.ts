import test from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { readState } from '../../dist/cli/state-file.js'
import { SAVE_EVERY_MS, StateSaver } from '../../dist/cli/state-saver.js'
import type { SaverTimers } from '../../dist/cli/state-saver.js'

async function tempFile (t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dht-rpc-saver-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  return join(dir, 'state.json')
}

/** Timers that fire only when the test says so. */
class ManualTimers implements SaverTimers {
  fn: (() => void) | null = null
  ms = 0
  setInterval (fn: () => void, ms: number): unknown {
    this.fn = fn
    this.ms = ms
    return 1
  }

  clearInterval (): void {
    this.fn = null
  }
}

test('the saver saves every few minutes without stopping, and once more when stopped', async (t) => {
  const file = await tempFile(t)
  const timers = new ManualTimers()
  let table = [{ host: '10.0.0.1', port: 1 }]
  const saved: number[] = []
  let now = new Date('2024-05-01T12:00:00.000Z')
  const saver = new StateSaver({ file, nodes: () => table, timers, now: () => now, onsave: (n) => saved.push(n), onerror: (err) => assert.fail(String(err)) })
  saver.start()
  assert.equal(timers.ms, SAVE_EVERY_MS)
  assert.equal(SAVE_EVERY_MS, 5 * 60_000)
  assert.equal(await readState(file), null, 'nothing is written before the first tick')

  timers.fn!()
  await saver.idle()
  assert.deepEqual(await readState(file), { savedAt: now, nodes: table })

  table = [...table, { host: '10.0.0.2', port: 2 }]
  now = new Date('2024-05-01T12:05:00.000Z')
  timers.fn!()
  await saver.idle()
  assert.deepEqual(await readState(file), { savedAt: now, nodes: table })

  table = [{ host: '10.0.0.3', port: 3 }]
  await saver.stop()
  assert.equal(timers.fn, null, 'the timer is cleared')
  assert.deepEqual(await readState(file), { savedAt: now, nodes: table })
  assert.deepEqual(saved, [1, 2, 1])
})

test('an empty table is never saved over the nodes a file has', async (t) => {
  const file = await tempFile(t)
  let table = [{ host: '10.0.0.1', port: 1 }]
  const saved: number[] = []
  const saver = new StateSaver({ file, nodes: () => table, timers: new ManualTimers(), onsave: (n) => saved.push(n), onerror: (err) => assert.fail(String(err)) })
  await saver.save()
  const before = await readFile(file, 'utf8')
  table = []
  await saver.save()
  await saver.stop()
  assert.equal(await readFile(file, 'utf8'), before)
  assert.deepEqual(saved, [1, 0], 'onsave hears of a skipped save too (0 nodes)')
})

test('a saver stopped before it started (a node stopped before ready) leaves the file alone', async (t) => {
  const file = await tempFile(t)
  const saver = new StateSaver({ file, nodes: () => [{ host: '10.0.0.1', port: 1 }], timers: new ManualTimers(), onsave: (n) => assert.fail(`saved ${n}`), onerror: (err) => assert.fail(String(err)) })
  await saver.stop()
  assert.equal(await readState(file), null)
})

test('a failed save is reported to onerror and the saver goes on', async (t) => {
  const file = join(await tempFile(t), 'no-such-folder', 'state.json')
  const errors: unknown[] = []
  const timers = new ManualTimers()
  const saver = new StateSaver({ file, nodes: () => [{ host: '10.0.0.1', port: 1 }], timers, onsave: (n) => assert.fail(`saved ${n}`), onerror: (err) => errors.push(err) })
  saver.start()
  timers.fn!()
  await saver.idle()
  await saver.stop()
  assert.equal(errors.length, 2)
  assert.equal((errors[0] as NodeJS.ErrnoException).code, 'ENOENT')
})
