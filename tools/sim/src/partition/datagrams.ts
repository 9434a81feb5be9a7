// Datagrams between partitions, packed into one buffer per destination. Posting the
// RemoteDatagram objects themselves would clone each message's whole backing store (an
// 8 KiB pool slice for most), twice, for every datagram crossing.

import type { RemoteDatagram } from '@dht/sim'
import { readIPv4, writeIPv4 } from '@dht/wire'

/** The datagrams for one partition: packed, and when the earliest is due. */
export interface DatagramBatch {
  bytes: Uint8Array<ArrayBuffer>
  firstAt: number
}

// at (f64), from address (u32), from port (u16), to address (u32), to port (u16), length (u16)
const HEADER = 8 + 4 + 2 + 4 + 2 + 2

export function pack (datagrams: readonly RemoteDatagram[]): DatagramBatch {
  let size = 0
  let firstAt = Infinity
  for (const d of datagrams) {
    size += HEADER + d.message.byteLength
    if (d.at < firstAt) firstAt = d.at
  }
  const bytes = new Uint8Array(size)
  const view = new DataView(bytes.buffer)
  let offset = 0
  for (const d of datagrams) {
    view.setFloat64(offset, d.at)
    writeIPv4(bytes, offset + 8, d.fromAddress)
    view.setUint16(offset + 12, d.fromPort)
    writeIPv4(bytes, offset + 14, d.toAddress)
    view.setUint16(offset + 18, d.toPort)
    view.setUint16(offset + 20, d.message.byteLength)
    bytes.set(d.message, offset + HEADER)
    offset += HEADER + d.message.byteLength
  }
  return { bytes, firstAt }
}

export function unpack (batch: DatagramBatch): RemoteDatagram[] {
  const { bytes } = batch
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const out: RemoteDatagram[] = []
  for (let offset = 0; offset < bytes.byteLength;) {
    const length = view.getUint16(offset + 20)
    out.push({
      at: view.getFloat64(offset),
      fromAddress: readIPv4(bytes, offset + 8),
      fromPort: view.getUint16(offset + 12),
      toAddress: readIPv4(bytes, offset + 14),
      toPort: view.getUint16(offset + 18),
      message: bytes.subarray(offset + HEADER, offset + HEADER + length)
    })
    offset += HEADER + length
  }
  return out
}
