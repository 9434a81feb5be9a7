import c from 'compact-encoding'
import { toString as bufferToString } from 'b4a'
import type { State } from './codec.js'

// A node uses a handful of distinct commands, and encoding or decoding a string costs more
// than the rest of a find_node request; remember the encoded form of the first few seen.
const MAX_CACHED_COMMANDS = 64
const MAX_CACHED_LENGTH = 64

interface CachedCommand {
  command: string
  /** The compact-encoding string: uint byte length, then the UTF-8 bytes. */
  encoded: Uint8Array
}

const byCommand = new Map<string, CachedCommand>()
const cached: CachedCommand[] = []

function lookup (command: string): CachedCommand | undefined {
  const hit = byCommand.get(command)
  if (hit !== undefined || cached.length >= MAX_CACHED_COMMANDS || command.length > MAX_CACHED_LENGTH) return hit
  const state: State = { start: 0, end: 0, buffer: EMPTY }
  c.string.preencode(state, command)
  state.buffer = Buffer.allocUnsafe(state.end)
  c.string.encode(state, command)
  const entry = { command, encoded: state.buffer }
  byCommand.set(command, entry)
  cached.push(entry)
  return entry
}

/** Bytes of `command` as a compact-encoding string. */
export function commandSize (command: string): number {
  const hit = lookup(command)
  if (hit !== undefined) return hit.encoded.byteLength
  const state: State = { start: 0, end: 0, buffer: EMPTY }
  c.string.preencode(state, command)
  return state.end
}

/** Writes `command` as a compact-encoding string at `offset`; returns the offset after it. */
export function writeCommand (buffer: Uint8Array, offset: number, command: string): number {
  const hit = byCommand.get(command)
  if (hit === undefined) {
    const state: State = { start: offset, end: buffer.byteLength, buffer }
    c.string.encode(state, command)
    return state.start
  }
  buffer.set(hit.encoded, offset)
  return offset + hit.encoded.byteLength
}

/** Decodes a command whose uint length prefix was already read and checked. */
export function decodeCommand (state: State, length: number): string {
  const b = state.buffer
  const start = state.start
  const end = start + length
  state.start = end
  for (let i = 0; i < cached.length; i++) {
    const bytes = cached[i]!.encoded
    // encoded[0] is the length prefix for every cached command (they are short)
    if (bytes.length !== length + 1) continue
    let j = 0
    while (j < length && bytes[j + 1] === b[start + j]) j++
    if (j === length) return cached[i]!.command
  }
  // Bytes that are not UTF-8 decode with U+FFFD in their place, as compact-encoding's string
  // (and so dht-rpc@5.0.0-rc.6) decodes them: such a datagram is answered, not dropped.
  return bufferToString(b, 'utf8', start, end)
}

const EMPTY = new Uint8Array(0)
