// Test helpers: a seeded random source, id generators, and brute-force references that use
// BigInt arithmetic instead of the package's own distance code.

import assert from 'node:assert/strict'
import type { TableEntry } from '@dht/table'

/** mulberry32: a small seeded PRNG returning numbers in [0, 1). */
export function prng (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function randomId (rand: () => number): Uint8Array {
  const id = new Uint8Array(32)
  for (let i = 0; i < 32; i++) id[i] = Math.floor(rand() * 256)
  return id
}

/** An id sharing exactly `prefix` leading bits with `base` (random after that). */
export function idNear (base: Uint8Array, prefix: number, rand: () => number): Uint8Array {
  const id = randomId(rand)
  for (let bit = 0; bit < prefix; bit++) setBit(id, bit, getBit(base, bit))
  setBit(id, prefix, getBit(base, prefix) ^ 1)
  return id
}

/** `id` with bit `bit` (0 = most significant) flipped, as a new array. */
export function flipBit (id: Uint8Array, bit: number): Uint8Array {
  const out = id.slice()
  setBit(out, bit, getBit(id, bit) ^ 1)
  return out
}

function getBit (id: Uint8Array, bit: number): number {
  return (id[bit >> 3]! >> (7 - (bit & 7))) & 1
}

function setBit (id: Uint8Array, bit: number, value: number): void {
  const mask = 1 << (7 - (bit & 7))
  id[bit >> 3] = value === 1 ? id[bit >> 3]! | mask : id[bit >> 3]! & ~mask
}

export function hex (id: Uint8Array): string {
  return Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString('hex')
}

function toBig (id: Uint8Array): bigint {
  return BigInt('0x' + hex(id))
}

/** XOR distance as a BigInt. */
export function distance (a: Uint8Array, b: Uint8Array): bigint {
  return toBig(a) ^ toBig(b)
}

/** The bucket of `id` in a table around `own`: leading bits shared (256 when equal). */
export function bruteBucket (own: Uint8Array, id: Uint8Array): number {
  const d = distance(own, id)
  return d === 0n ? 256 : 256 - d.toString(2).length
}

/** Reference closest(): sort every candidate by BigInt distance, take n. */
export function bruteClosest<T extends { readonly id: Uint8Array }> (nodes: Iterable<T>, target: Uint8Array, n: number): T[] {
  return new BruteForce(nodes).closest(target, n)
}

/** Reference closest() over a fixed set, with each id converted to a BigInt once. */
export class BruteForce<T extends { readonly id: Uint8Array }> {
  readonly keyed: Array<{ node: T, big: bigint }>

  constructor (nodes: Iterable<T>) {
    this.keyed = [...nodes].map(node => ({ node, big: toBig(node.id) }))
  }

  closest (target: Uint8Array, n: number): T[] {
    const t = toBig(target)
    const withD = this.keyed.map(x => ({ node: x.node, d: x.big ^ t }))
    withD.sort((x, y) => (x.d < y.d ? -1 : x.d > y.d ? 1 : 0))
    return withD.slice(0, n).map(x => x.node)
  }
}

/** What fits around `id`, by brute force: per bucket, the k most recently seen ((seen, added) is unique here). */
export function bruteRekey (entries: readonly TableEntry[], id: Uint8Array, k: number): { kept: Set<TableEntry>, dropped: Set<TableEntry> } {
  const buckets = new Map<number, TableEntry[]>()
  for (const e of entries) {
    const b = bruteBucket(id, e.id)
    buckets.set(b, [...(buckets.get(b) ?? []), e])
  }
  const kept = new Set<TableEntry>()
  const dropped = new Set<TableEntry>()
  for (const [b, list] of buckets) {
    list.sort(byStaleness).reverse() // freshest first
    list.forEach((e, i) => (b !== 256 && i < k ? kept : dropped).add(e))
  }
  return { kept, dropped }
}

/** Asserts `got` holds exactly the objects of `expected`, in order (by identity, cheaply). */
export function assertSameEntries (got: readonly object[], expected: readonly object[], message: string): void {
  if (got.length === expected.length && got.every((e, i) => e === expected[i])) return
  const show = (list: readonly object[]): string[] => list.map(e => hex((e as { id: Uint8Array }).id).slice(0, 12))
  assert.deepEqual(show(got), show(expected), message)
  assert.fail(`${message}: same ids, different objects`)
}

export function ids (nodes: readonly { readonly id: Uint8Array }[]): string[] {
  return nodes.map(n => hex(n.id))
}

/** A node literal for add(). */
export function node (id: Uint8Array, i = 0): { id: Uint8Array, host: string, port: number } {
  return { id, host: `10.0.${(i >> 8) & 255}.${i & 255}`, port: 10000 + (i % 50000) }
}

/** (seen, added) order: the table's staleness order. */
export function byStaleness (a: TableEntry, b: TableEntry): number {
  return a.seen - b.seen || a.added - b.added
}

/** An id whose first byte is `first` and the rest zero but for `tail` in the last byte. */
export function idWith (first: number, tail = 0): Uint8Array {
  const id = new Uint8Array(32)
  id[0] = first
  id[31] = tail
  return id
}
