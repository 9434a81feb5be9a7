// Malformed, random and mutated datagrams for the live-node fuzz, from a seeded PRNG so a
// failing run repeats. Valid messages are made once into a pool; each datagram is then a
// cheap variation of one of them.
import { SeededRandom } from '@dht/sim'
import { encodeReply, encodeRequest } from '@dht/wire'
import type { Peer } from '@dht/wire'

export type Kind = 'random' | 'random v2' | 'truncated' | 'bit flips' | 'absurd length' | 'valid'

export const KINDS: readonly Kind[] = ['random', 'random v2', 'truncated', 'bit flips', 'absurd length', 'valid']

const COMMANDS = ['ping', 'ping_nat', 'find_node', 'echo', 'x', 'values', 'a-longer-command-name-'.repeat(12)]
// compact-encoding uint prefixes that claim far more bytes than any datagram holds
const ABSURD = [[0xfd, 0xff, 0xff], [0xfe, 0xff, 0xff, 0xff, 0xff], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0xfe, 0, 0, 0, 0x80], [0xfc]]

export class DatagramSource {
  private readonly random: SeededRandom
  private readonly pool: Uint8Array[] = []

  /** `to` is where the datagrams go: valid ones carry it, as a real sender would. */
  constructor (seed: number, to: Peer, poolSize = 4096) {
    this.random = new SeededRandom(seed)
    for (let i = 0; i < poolSize; i++) this.pool.push(i % 4 === 3 ? this.reply(to) : this.request(to))
  }

  /** The next datagram and its kind, in the weights below. */
  next (): { kind: Kind, bytes: Uint8Array } {
    const r = this.random.next()
    if (r < 0.15) return { kind: 'random', bytes: this.bytes(this.length()) }
    if (r < 0.30) return { kind: 'random v2', bytes: this.randomV2() }
    if (r < 0.50) return { kind: 'truncated', bytes: this.truncated() }
    if (r < 0.75) return { kind: 'bit flips', bytes: this.flipped() }
    if (r < 0.90) return { kind: 'absurd length', bytes: this.absurd() }
    return { kind: 'valid', bytes: this.pick() }
  }

  private int (n: number): number {
    return Math.floor(this.random.next() * n)
  }

  private length (): number {
    const r = this.random.next()
    return r < 0.8 ? this.int(80) : r < 0.98 ? this.int(600) : this.int(1400)
  }

  private bytes (n: number): Uint8Array {
    const out = new Uint8Array(n)
    this.random.fill(out)
    return out
  }

  private maybe32 (): Uint8Array | null {
    return this.random.next() < 0.5 ? this.bytes(32) : null
  }

  private peer (): Peer {
    // loopback only: nothing derived from these ever reaches the real network
    return { host: `127.${this.int(256)}.${this.int(256)}.${this.int(256)}`, port: this.int(65536) }
  }

  private value (): Uint8Array | null {
    const r = this.random.next()
    return r < 0.4 ? null : r < 0.8 ? this.bytes(this.int(40)) : this.bytes(this.int(1200))
  }

  private request (to: Peer): Uint8Array {
    return encodeRequest({ tid: this.int(65536), to, id: this.maybe32(), token: this.maybe32(), target: this.maybe32(), command: COMMANDS[this.int(COMMANDS.length)]!, value: this.value() })
  }

  private reply (to: Peer): Uint8Array {
    const closerNodes = this.random.next() < 0.5 ? Array.from({ length: this.int(25) }, () => this.peer()) : null
    return encodeReply({ tid: this.int(65536), to, id: this.maybe32(), token: this.maybe32(), closerNodes, status: this.int(4), value: this.value() })
  }

  private pick (): Uint8Array {
    return this.pool[this.int(this.pool.length)]!
  }

  private randomV2 (): Uint8Array {
    const out = this.bytes(2 + this.length())
    out[0] = 2
    out[1] = this.int(16) // every combination of the known flags
    return out
  }

  private truncated (): Uint8Array {
    const valid = this.pick()
    return valid.subarray(0, this.int(valid.byteLength))
  }

  private flipped (): Uint8Array {
    const out = Uint8Array.from(this.pick())
    for (let flips = 1 + this.int(8); flips > 0; flips--) {
      const bit = this.int(out.byteLength * 8)
      out[bit >> 3]! ^= 1 << (bit & 7)
    }
    return out
  }

  private absurd (): Uint8Array {
    // a valid header, then a length where a field (command, closerNodes, value) is read
    const flags = this.int(16)
    const head = [2, flags, this.int(256), this.int(256), 127, 0, 0, 1, this.int(256), this.int(256)]
    const fixed = ((flags & 2) !== 0 ? 32 : 0) + ((flags & 4) !== 0 ? 32 : 0) + ((flags & 9) === 9 ? 32 : 0)
    const tail = this.bytes(this.int(40))
    return Uint8Array.from([...head, ...this.bytes(fixed), ...ABSURD[this.int(ABSURD.length)]!, ...tail])
  }
}
