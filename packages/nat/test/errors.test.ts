import test from 'node:test'
import assert from 'node:assert/strict'
import { NatAnalyzer, NatError, isNatError } from '@dht/nat'
import type { Address, NatErrorCode } from '@dht/nat'

const OK = { host: '203.0.113.7', port: 1000 }
const FROM = { host: '10.0.0.1', port: 49737 }

function throwsNatError (fn: () => unknown, code: NatErrorCode, message: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(isNatError(err))
    assert.ok(err instanceof Error)
    assert.equal(err.name, 'NatError')
    assert.equal(err.code, code)
    assert.match(err.message, message)
    return true
  })
}

// Input a type-checked caller could not write, as a JavaScript caller might.
const loose = (value: unknown) => value as Address

test('analyze() wants minSamples to be a positive integer', () => {
  const nat = new NatAnalyzer()
  nat.add(OK, FROM)
  for (const bad of [0, -1, 1.5, Number.NaN, Infinity, '3', null]) {
    throwsNatError(() => nat.analyze(bad as number), 'INVALID_MIN_SAMPLES', /minSamples must be a positive integer/)
  }
  assert.doesNotThrow(() => nat.analyze(undefined))
  assert.doesNotThrow(() => nat.analyze(1))
})

test('add() wants ports from 0 to 65535', () => {
  const nat = new NatAnalyzer()
  for (const port of [-1, 65536, 1.5, Number.NaN, '1000']) {
    throwsNatError(() => nat.add(loose({ host: OK.host, port }), FROM), 'INVALID_PORT', /^address\.port must be an integer from 0 to 65535/)
    throwsNatError(() => nat.add(OK, loose({ host: FROM.host, port })), 'INVALID_PORT', /^referrer\.port must be an integer/)
  }
  nat.add({ host: OK.host, port: 0 }, { host: FROM.host, port: 65535 })
  nat.add({ host: OK.host, port: 65535 }, { host: FROM.host, port: 0 })
  assert.equal(nat.size, 2)
})

test('add() wants string hosts and address objects', () => {
  const nat = new NatAnalyzer()
  throwsNatError(() => nat.add(loose({ host: 1234, port: 1 }), FROM), 'INVALID_HOST', /^address\.host must be a string, got 1234$/)
  throwsNatError(() => nat.add(OK, loose({ port: 1 })), 'INVALID_HOST', /^referrer\.host must be a string, got undefined$/)
  throwsNatError(() => nat.add(loose(null), FROM), 'INVALID_ADDRESS', /^address must be an object/)
  throwsNatError(() => nat.add(OK, loose('10.0.0.1:1')), 'INVALID_ADDRESS', /^referrer must be an object.*"10\.0\.0\.1:1"$/)
  throwsNatError(() => nat.has(loose(undefined)), 'INVALID_ADDRESS', /^referrer must be an object/)
  assert.equal(nat.size, 0, 'rejected samples are not kept')
})

test('sampleSize must be a power of two from 1 to 1024', () => {
  for (const bad of [0, 3, 12, 2048, -16, 16.5, Number.NaN]) {
    throwsNatError(() => new NatAnalyzer({ sampleSize: bad }), 'INVALID_SAMPLE_SIZE', /sampleSize must be a power of two/)
  }
  assert.equal(new NatAnalyzer({ sampleSize: 1024 }).capacity, 1024)
})

test('the factories and the predicate', () => {
  const err = NatError.INVALID_PORT('address', 70000)
  assert.ok(err instanceof NatError)
  assert.equal(err.code, 'INVALID_PORT')
  assert.equal(err.message, 'address.port must be an integer from 0 to 65535, got 70000')
  assert.equal(NatError.INVALID_MIN_SAMPLES(Symbol('x')).message, 'minSamples must be a positive integer, got Symbol(x)')
  assert.equal(NatError.INVALID_HOST('address', Object.create(null)).message, 'address.host must be a string, got an object')
  assert.equal(isNatError(new Error('nope')), false)
  assert.equal(isNatError({ code: 'INVALID_PORT' }), false)
  assert.equal(isNatError(null), false)
})
