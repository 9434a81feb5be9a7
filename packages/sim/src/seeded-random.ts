import type { Random } from '@dht/io'

/** A seeded PRNG (xoshiro128**) for runs that repeat. Not for secrets. */
export class SeededRandom implements Random {
  private s0: number
  private s1: number
  private s2: number
  private s3: number

  constructor (seed = 1) {
    // splitmix32 spreads any seed over the state, and the state is never all zero
    let x = seed >>> 0
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0
      let z = x
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
      return (z ^ (z >>> 16)) >>> 0
    }
    this.s0 = next() | 1
    this.s1 = next()
    this.s2 = next()
    this.s3 = next()
  }

  /** A uniform uint32. */
  uint32 (): number {
    // xoshiro128** over four 32-bit words
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0
    const t = (this.s1 << 9) >>> 0
    this.s2 ^= this.s0
    this.s3 ^= this.s1
    this.s1 ^= this.s2
    this.s0 ^= this.s3
    this.s2 ^= t
    this.s3 = rotl(this.s3 >>> 0, 11)
    this.s0 >>>= 0
    this.s1 >>>= 0
    this.s2 >>>= 0
    return result
  }

  next (): number {
    return this.uint32() / 0x100000000
  }

  fill (buffer: Uint8Array): void {
    for (let i = 0; i < buffer.length; i += 4) {
      let word = this.uint32()
      for (let j = i; j < i + 4 && j < buffer.length; j++) {
        buffer[j] = word & 0xff
        word >>>= 8
      }
    }
  }
}

function rotl (x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0
}
