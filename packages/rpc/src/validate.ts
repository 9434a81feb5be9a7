import { isIPv4 } from '@dht/wire'
import type { Peer } from '@dht/wire'

export function assertTarget (target: unknown, name = 'target'): asserts target is Uint8Array {
  if (!(target instanceof Uint8Array) || target.byteLength !== 32) {
    throw new TypeError(`${name} must be a 32-byte Uint8Array, got ${describe(target)}`)
  }
}

export function assertOptionalTarget (target: unknown, name = 'target'): asserts target is Uint8Array | null {
  if (target !== null) assertTarget(target, name)
}

export function assertCommand (command: unknown): asserts command is string {
  if (typeof command !== 'string' || command.length === 0) {
    throw new TypeError(`command must be a non-empty string, got ${describe(command)}`)
  }
}

export function assertValue (value: unknown, name = 'value'): asserts value is Uint8Array | null | undefined {
  if (value !== null && value !== undefined && !(value instanceof Uint8Array)) {
    throw new TypeError(`${name} must be a Uint8Array or null, got ${describe(value)}`)
  }
}

export function assertPeer (peer: unknown, name: string): asserts peer is Peer {
  if (typeof peer !== 'object' || peer === null) throw new TypeError(`${name} must be a { host, port } object, got ${describe(peer)}`)
  const { host, port } = peer as { host?: unknown, port?: unknown }
  if (!isIPv4(host)) throw new TypeError(`${name}.host must be an IPv4 address, got ${describe(host)}`)
  assertPort(port, `${name}.port`, 1)
}

export function assertPort (port: unknown, name: string, min = 0): asserts port is number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < min || port > 65535) {
    throw new TypeError(`${name} must be an integer from ${min} to 65535, got ${describe(port)}`)
  }
}

export function assertTimeout (ms: unknown, name: string): asserts ms is number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) {
    throw new TypeError(`${name} must be a positive number of ms, got ${describe(ms)}`)
  }
}

export function describe (value: unknown): string {
  if (value === null) return 'null'
  if (value === undefined) return 'undefined'
  if (value instanceof Uint8Array) return `a ${value.byteLength}-byte ${value.constructor.name}`
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)
  if (typeof value === 'object') return 'an object'
  return String(value)
}
