// The checks of @dht/rpc's public boundary: every argument of every method and every option
// of the constructor, each failing with a TypeError that names it (see errors.ts). The
// packages below trust what passes here.

import { isAbortSignal } from '@dht/io'
import { isIPv4 } from '@dht/wire'
import type { Peer } from '@dht/wire'
import { invalidArgument } from './errors.js'

export function assertTarget (target: unknown, name = 'target'): asserts target is Uint8Array {
  if (!(target instanceof Uint8Array) || target.byteLength !== 32) throw invalidArgument(name, 'a 32-byte Uint8Array', target)
}

export function assertOptionalTarget (target: unknown, name = 'target'): asserts target is Uint8Array | null {
  if (target !== null) assertTarget(target, name)
}

export function assertCommand (command: unknown): asserts command is string {
  if (typeof command !== 'string' || command.length === 0) throw invalidArgument('command', 'a non-empty string', command)
}

export function assertValue (value: unknown, name = 'value'): asserts value is Uint8Array | null | undefined {
  if (value !== null && value !== undefined && !(value instanceof Uint8Array)) throw invalidArgument(name, 'a Uint8Array or null', value)
}

export function assertPeer (peer: unknown, name: string): asserts peer is Peer {
  if (typeof peer !== 'object' || peer === null) throw invalidArgument(name, 'a { host, port } object', peer)
  const { host, port } = peer as { host?: unknown, port?: unknown }
  if (!isIPv4(host)) throw invalidArgument(`${name}.host`, 'an IPv4 address', host)
  assertPort(port, `${name}.port`, 1)
}

export function assertPeers (peers: unknown, name: string): asserts peers is readonly Peer[] {
  if (!Array.isArray(peers)) throw invalidArgument(name, 'an array of { host, port }', peers)
  peers.forEach((peer: unknown, i) => assertPeer(peer, `${name}[${i}]`))
}

export function assertPort (port: unknown, name: string, min = 0): asserts port is number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < min || port > 65535) throw invalidArgument(name, `an integer from ${min} to 65535`, port)
}

export function assertPositiveInteger (n: unknown, name: string): asserts n is number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw invalidArgument(name, 'a positive integer', n)
}

export function assertTimeout (ms: unknown, name: string): asserts ms is number {
  assertPositiveNumber(ms, name, 'a positive number of ms')
}

export function assertPositiveNumber (n: unknown, name: string, expected = 'a positive number', min = 0): asserts n is number {
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0 || n < min) throw invalidArgument(name, expected, n)
}

export function assertBoolean (value: unknown, name: string): asserts value is boolean {
  if (typeof value !== 'boolean') throw invalidArgument(name, 'true or false', value)
}

export function assertObject (value: unknown, name: string): asserts value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidArgument(name, 'an object', value)
}

/** An object with these methods. */
export function assertMethods (value: unknown, name: string, methods: readonly string[], what: string): void {
  if (typeof value !== 'object' || value === null) throw invalidArgument(name, what, value)
  for (const method of methods) {
    if (typeof (value as Record<string, unknown>)[method] !== 'function') throw invalidArgument(name, `${what} (its ${method} is not a function)`, value)
  }
}

export function assertCount (n: unknown, name: string): asserts n is number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw invalidArgument(name, 'a non-negative integer', n)
}

export function assertFunction (value: unknown, name: string): void {
  if (typeof value !== 'function') throw invalidArgument(name, 'a function', value)
}

/** An AbortSignal, or anything with what is read of one (a polyfill's, another realm's). */
export function assertSignal (value: unknown, name: string): asserts value is AbortSignal {
  if (!isAbortSignal(value)) throw invalidArgument(name, 'an AbortSignal', value)
}
