import test from 'node:test'
import assert from 'node:assert/strict'
import { ManualClock } from '@dht/sim'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

test('the manual clock runs timers in time order and jumps between them', () => {
  const clock = new ManualClock(1000)
  const ran: string[] = []
  clock.setTimeout(() => ran.push(`b@${clock.now()}`), 20)
  clock.setTimeout(() => ran.push(`a@${clock.now()}`), 10)
  const c = clock.setTimeout(() => ran.push('c'), 15)
  clock.clearTimeout(c)
  const every = clock.setInterval(() => ran.push(`i@${clock.now()}`), 8)
  clock.advance(25)
  clock.clearInterval(every)
  clock.advance(100)
  assert.deepEqual(ran, ['i@1008', 'a@1010', 'i@1016', 'b@1020', 'i@1024'])
  assert.equal(clock.now(), 1125)
  assert.equal(clock.pending, 0)
})

test('timers scheduled by timers run in the same advance when due', () => {
  const clock = new ManualClock()
  const ran: number[] = []
  clock.setTimeout(() => clock.setTimeout(() => ran.push(clock.now()), 5), 5)
  clock.advance(10)
  assert.deepEqual(ran, [10])
})

test('timers due at the same instant run in the order they were scheduled', () => {
  const clock = new ManualClock()
  const ran: string[] = []
  for (const name of ['a', 'b', 'c']) clock.setTimeout(() => ran.push(name), 10)
  clock.setTimeout(() => {
    ran.push('d')
    clock.setTimeout(() => ran.push('e'), 0) // now: after the rest of this instant
  }, 10)
  clock.setTimeout(() => ran.push('f'), 10)
  clock.advance(10)
  assert.deepEqual(ran, ['a', 'b', 'c', 'd', 'f', 'e'])
})

test('a timer set for before a partly skipped instant still runs first', () => {
  const clock = new ManualClock()
  const ran: string[] = []
  const cleared = clock.setTimeout(() => ran.push('cleared'), 10)
  clock.setTimeout(() => ran.push('late'), 10)
  clock.clearTimeout(cleared)
  clock.advance(5) // looks at the instant 10 and stops short of it
  clock.setTimeout(() => ran.push('early'), 2)
  clock.advance(10)
  assert.deepEqual(ran, ['early', 'late'])
  assert.equal(clock.pending, 0)
})

test('clearing a handle twice, a run timeout or another clock\'s handle changes nothing', () => {
  const clock = new ManualClock()
  const other = new ManualClock()
  const ran: string[] = []
  const a = clock.setTimeout(() => ran.push('a'), 1)
  clock.setTimeout(() => ran.push('b'), 1)
  const foreign = other.setTimeout(() => ran.push('other'), 1)
  clock.advance(1)
  clock.clearTimeout(a)
  clock.clearTimeout(foreign)
  clock.clearTimeout(42)
  clock.clearTimeout(null)
  assert.equal(clock.pending, 0)
  assert.equal(other.pending, 1)
  const c = clock.setTimeout(() => ran.push('c'), 1)
  clock.clearTimeout(c)
  clock.clearTimeout(c)
  assert.equal(clock.pending, 0)
  other.advance(1)
  assert.deepEqual(ran, ['a', 'b', 'other'])
})

test('a cleared timer lets go of its callback before its time comes', async () => {
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  const clock = new ManualClock()
  // only the callback holds the payload
  const schedule = (): { timer: unknown, ref: WeakRef<{ bytes: Uint8Array }> } => {
    const payload = { bytes: new Uint8Array(1024) }
    return { timer: clock.setTimeout(() => payload.bytes.fill(1), 60_000), ref: new WeakRef(payload) }
  }
  const { timer, ref } = schedule()
  clock.clearTimeout(timer)
  await new Promise(setImmediate) // a weakly held object stays alive until the end of the job that made it
  gc()
  assert.equal(ref.deref(), undefined, 'what the callback held is collected while the timer is still queued')
  clock.advance(120_000)
  assert.equal(clock.pending, 0)
})

test('jump() moves time without running timers', () => {
  const clock = new ManualClock()
  let ran = false
  clock.setTimeout(() => { ran = true }, 10)
  clock.jump(60_000)
  assert.equal(ran, false)
  assert.equal(clock.runNext(), true)
  assert.equal(ran, true)
  assert.equal(clock.now(), 60_000)
})

test('runUntil fails clearly when nothing is left to run, or when the limit passes first', async () => {
  const clock = new ManualClock()
  await assert.rejects(clock.runUntil(new Promise(() => {})), /nothing left to run/)
  clock.setInterval(() => {}, 1000)
  await assert.rejects(clock.runUntil(new Promise(() => {}), 5000), /not settled after 5000 ms/)
  assert.equal(clock.now(), 5000)
})

test('promise callbacks run between instants: an await sees the time its event happened', async () => {
  const clock = new ManualClock()
  const seen: number[] = []
  const wait = (ms: number): Promise<void> => new Promise((resolve) => clock.setTimeout(resolve, ms))
  const task = (async () => {
    await wait(10)
    seen.push(clock.now())
    await wait(10)
    seen.push(clock.now())
  })()
  await clock.runUntil(task)
  assert.deepEqual(seen, [10, 20])
})
