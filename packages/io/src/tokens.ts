import sodium from 'sodium-native'
import { writeIPv4 } from '@dht/wire'
import type { Random } from './random.js'

const TOKEN_BYTES = 32

/**
 * Round-trip tokens: a keyed BLAKE2b of the requester's host and port under one of two
 * secrets. {@link rotate} is called every tick and replaces the older secret only when a
 * token was handed out since the last rotation, so a token verifies for one to two ticks.
 * Tokens are opaque to everyone else, so binding the port too stays compatible with v5
 * nodes (which bind the host only).
 */
export class Tokens {
  private current: Uint8Array
  private previous: Uint8Array
  private handedOut = false
  private readonly random: Random
  private readonly address = new Uint8Array(6)
  private readonly scratch = new Uint8Array(TOKEN_BYTES)

  constructor (random: Random) {
    this.random = random
    this.current = new Uint8Array(TOKEN_BYTES)
    this.previous = new Uint8Array(TOKEN_BYTES)
    random.fill(this.current)
    random.fill(this.previous)
  }

  /** A token for the requester at `host:port`. */
  create (host: string, port: number): Uint8Array {
    this.handedOut = true
    const token = Buffer.allocUnsafe(TOKEN_BYTES)
    this.hash(token, host, port, this.current)
    return token
  }

  /** True when `token` was made for `host:port` under either live secret. */
  verify (token: Uint8Array, host: string, port: number): boolean {
    if (token.byteLength !== TOKEN_BYTES) return false
    this.hash(this.scratch, host, port, this.current)
    if (equal(this.scratch, token)) return true
    this.hash(this.scratch, host, port, this.previous)
    return equal(this.scratch, token)
  }

  /** Retires the older secret if a token was handed out since the last rotation. */
  rotate (): void {
    if (!this.handedOut) return
    this.handedOut = false
    const retired = this.previous
    this.previous = this.current
    this.current = retired
    this.random.fill(this.current)
  }

  private hash (out: Uint8Array, host: string, port: number, secret: Uint8Array): void {
    writeIPv4(this.address, 0, host)
    this.address[4] = port & 0xff
    this.address[5] = port >>> 8
    sodium.crypto_generichash(out, this.address, secret)
  }
}

function equal (a: Uint8Array, b: Uint8Array): boolean {
  let diff = 0
  for (let i = 0; i < TOKEN_BYTES; i++) diff |= a[i]! ^ b[i]!
  return diff === 0
}
