// A datagram on its way: one object, queued on the clock as its own timer, that holds where
// its bytes are rather than a Buffer of them. The Buffer the socket hands up is made when the
// datagram arrives. A datagram waits out its whole simulated delay in the queue, long enough
// in wall time, in a large network, to outlive a young-generation collection: one object
// instead of a closure, a context and a Buffer each is that much less for the collector to
// copy and promote only to see it die.

import { ManualClock, Timer } from './manual-clock.js'

/** What a datagram can arrive at: a host, or a NAT router that forwards it. */
export interface DeliveryTarget {
  deliver (message: Buffer, fromAddress: string, fromPort: number, port: number): boolean
}

/** The network's counters of what arrived and what found no socket. */
export interface DeliveryCounts {
  delivered: number
  dropped: number
}

export class Delivery extends Timer {
  constructor (
    clock: ManualClock,
    at: number,
    readonly counts: DeliveryCounts,
    readonly target: DeliveryTarget,
    readonly bytes: ArrayBuffer,
    readonly offset: number,
    readonly length: number,
    readonly fromAddress: string,
    readonly fromPort: number,
    readonly toPort: number
  ) {
    super(clock, at, arrive, 0)
  }
}

function arrive (this: Timer): void {
  const d = this as Delivery
  if (d.target.deliver(Buffer.from(d.bytes, d.offset, d.length), d.fromAddress, d.fromPort, d.toPort)) d.counts.delivered++
  else d.counts.dropped++
}

const SLAB_BYTES = 64 * 1024
const LARGEST_SHARED = SLAB_BYTES / 8

/**
 * Copies of sent datagrams (a socket's send copies, as the kernel does), cut one after another
 * from 64 KiB slabs. A slab is freed once nothing delivered from it is held any more.
 */
export class CopySlab {
  /** The buffer of the last copy made. */
  buffer: ArrayBuffer
  #slab = new Uint8Array(SLAB_BYTES)
  #used = 0

  constructor () {
    this.buffer = this.#slab.buffer as ArrayBuffer
  }

  /** Copies `message`; returns the offset of the copy in {@link buffer}. */
  copy (message: Uint8Array): number {
    const length = message.byteLength
    if (length > LARGEST_SHARED) {
      this.buffer = new Uint8Array(message).buffer as ArrayBuffer // a buffer of its own
      return 0
    }
    if (this.#used + length > SLAB_BYTES) {
      this.#slab = new Uint8Array(SLAB_BYTES)
      this.#used = 0
    }
    this.buffer = this.#slab.buffer as ArrayBuffer
    const offset = this.#used
    this.#slab.set(message, offset)
    this.#used += length
    return offset
  }
}
