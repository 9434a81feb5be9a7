// How the commands show things: addresses, ids, values, durations, NAT types, JSON.
import { DHT } from '../dht.js'
import type { RemoteAddress } from '../types.js'
import type { Peer } from '@dht/wire'

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** 'host:port'. */
export function address (peer: Peer): string {
  return `${peer.host}:${peer.port}`
}

export function hex (bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

/** The first 8 hex digits of an id or key, enough to tell them apart on screen. */
export function shortHex (bytes: Uint8Array): string {
  return hex(bytes).slice(0, 8) + '…'
}

/** A value as text when it is printable UTF-8, or null. */
export function valueText (value: Uint8Array): string | null {
  let text: string
  try {
    text = utf8.decode(value)
  } catch {
    return null
  }
  return /[\u0000-\u0008\u000b-\u001f\u007f]/.test(text) ? null : text
}

/** A value for a human: quoted text, or hex for bytes that are not printable text. */
export function showValue (value: Uint8Array): string {
  const text = valueText(value)
  return text !== null ? JSON.stringify(text) : `0x${hex(value)} (${value.byteLength} bytes)`
}

/** A value in --json output: the text (null when not printable) and the hex. */
export function jsonValue (value: Uint8Array): { value: string | null, valueHex: string } {
  return { value: valueText(value), valueHex: hex(value) }
}

/** '12 ms' or '1.23 s'. */
export function duration (ms: number): string {
  return ms < 1000 ? `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`
}

/** Milliseconds rounded to 0.1, for --json. */
export function roundMs (ms: number): number {
  return Math.round(ms * 10) / 10
}

/** 'open', 'port consistent', ... */
export function natName (type: RemoteAddress['type']): string {
  switch (type) {
    case DHT.NAT_OPEN: return 'open'
    case DHT.NAT_PORT_CONSISTENT: return 'port consistent'
    case DHT.NAT_PORT_INCREMENTING: return 'port incrementing'
    case DHT.NAT_PORT_RANDOMIZED: return 'port randomized'
    default: return 'unknown'
  }
}

/** '1 node', '2 nodes'. */
export function plural (n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`
}

/** The first line of an error's message, for a one-line report. */
export function oneLine (err: unknown): string {
  const message = err instanceof Error ? err.message : String(err)
  return message.split('\n', 1)[0]!
}

export function print (line = ''): void {
  process.stdout.write(line + '\n')
}

/** One JSON document on one line of stdout. */
export function printJson (value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n')
}
