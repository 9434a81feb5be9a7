import sodium from 'sodium-native'

/**
 * A source of randomness. The default is libsodium's CSPRNG; simulations pass a seeded one
 * so that runs repeat.
 */
export interface Random {
  /** Fills `buffer` with random bytes. */
  fill (buffer: Uint8Array): void
  /** A uniform float in [0, 1). */
  next (): number
}

/** libsodium's `randombytes_buf` and `randombytes_random`. */
export const systemRandom: Random = {
  fill: (buffer) => sodium.randombytes_buf(buffer),
  next: () => sodium.randombytes_random() / 0x100000000
}

/** A uniform integer in [0, n). */
export function randomInt (random: Random, n: number): number {
  return Math.floor(random.next() * n)
}

/** A new buffer of `n` random bytes. */
export function randomBytes (random: Random, n: number): Uint8Array {
  const buffer = Buffer.allocUnsafe(n)
  random.fill(buffer)
  return buffer
}
