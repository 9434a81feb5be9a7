// Routing tables filled the way a network of a given size fills a node's buckets, without
// building the network: bucket i of a node holds the nodes sharing exactly i leading bits with
// it, (size - 1) / 2^(i + 1) of them on average, at most k.

import type * as Table from '@dht/table'

export type TableModule = typeof Table

/** mulberry32: a small seeded PRNG returning numbers in [0, 1). */
export function seeded (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function randomId (rand: () => number): Uint8Array {
  const id = new Uint8Array(32)
  for (let i = 0; i < 32; i++) id[i] = Math.floor(rand() * 256)
  return id
}

export function randomIds (count: number, rand: () => number): Uint8Array[] {
  return Array.from({ length: count }, () => randomId(rand))
}

// an id sharing exactly `bits` leading bits with `own`
function idInBucket (own: Uint8Array, bits: number, rand: () => number): Uint8Array {
  const id = randomId(rand)
  for (let bit = 0; bit <= bits; bit++) {
    const mask = 1 << (7 - (bit & 7))
    const same = (own[bit >> 3]! & mask) !== 0
    const set = bit === bits ? !same : same
    id[bit >> 3] = set ? id[bit >> 3]! | mask : id[bit >> 3]! & ~mask
  }
  return id
}

// a Poisson draw (Knuth's method): how many of a network's nodes land in a bucket
function poisson (mean: number, rand: () => number): number {
  const limit = Math.exp(-mean)
  let count = 0
  for (let p = rand(); p > limit; p *= rand()) count++
  return count
}

/** A table around a random id, its buckets filled as a network of `size` nodes would fill them. */
export function fill (mod: TableModule, size: number, rand: () => number): Table.RoutingTable {
  const table = new mod.RoutingTable(randomId(rand))
  let tick = 0
  for (let bits = 0; bits < 256; bits++) {
    const mean = (size - 1) / 2 ** (bits + 1)
    if (mean < 1e-3) break
    const count = Math.min(table.k, mean > 4 * table.k ? table.k : poisson(mean, rand))
    for (let i = 0; i < count; i++) {
      table.add({ id: idInBucket(table.id, bits, rand), host: '10.0.0.1', port: 10000 + (tick % 50000) }, ++tick)
    }
  }
  return table
}
