import test from 'node:test'
import assert from 'node:assert/strict'
import { CongestionWindow } from '@dht/io'

test('the congestion window allows maxWindow per slot and twice that over four slots', () => {
  const w = new CongestionWindow(2)
  w.take(); w.take()
  assert.equal(w.hasRoom(), false)
  w.release()
  assert.equal(w.hasRoom(), true)
  w.take()
  w.rotate()
  w.take(); w.take()
  assert.equal(w.hasRoom(), false, '4 sends over the last slots')
  w.rotate(); w.rotate(); w.rotate()
  assert.equal(w.hasRoom(), true, 'the oldest slot is forgotten')
  w.rotate()
  assert.equal(w.isIdle(), true)
})

test('a reply gives back its own send, in the slot that counted it, unless that slot is forgotten', () => {
  const w = new CongestionWindow(2)
  const sent = [w.take(), w.take()]
  w.rotate()
  sent.push(w.take(), w.take())
  w.rotate() // no sends in this slot yet: crediting the current slot would give nothing back
  assert.equal(w.hasRoom(), false, '4 unanswered sends over the last slots')
  for (const slot of sent) w.release(slot)
  assert.equal(w.isIdle(), true, 'answered sends hold no room')
  assert.equal(w.hasRoom(), true)
  const old = w.take()
  w.rotate(); w.rotate(); w.rotate(); w.rotate()
  w.take()
  w.release(old) // its slot was forgotten: the send of the new slot stays counted
  assert.equal(w.isIdle(), false)
})
