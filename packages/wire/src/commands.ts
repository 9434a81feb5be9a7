import c from 'compact-encoding'
import { toString as bufferToString } from 'b4a'
import type { State } from './codec.js'

// A node uses a handful of distinct commands, and encoding or decoding a string costs more
// than the rest of a find_node request: a table remembers the encoded form of the first few
// commands it sees. Only short ones, for a command is compared byte by byte on decode.
const MAX_COMMANDS = 64
const MAX_LENGTH = 64

interface KnownCommand {
  command: string
  /** The compact-encoding string: uint byte length, then the UTF-8 bytes. */
  encoded: Uint8Array
}

/** The encoded forms of the commands an {@link Intern} has seen. */
export class CommandTable {
  readonly #byCommand = new Map<string, KnownCommand>()
  readonly #known: KnownCommand[] = []

  /** The known form of `command`, learning it while there is room. */
  learn (command: string): KnownCommand | undefined {
    const hit = this.#byCommand.get(command)
    if (hit !== undefined || this.#known.length >= MAX_COMMANDS || command.length > MAX_LENGTH) return hit
    const state: State = { start: 0, end: 0, buffer: EMPTY }
    c.string.preencode(state, command)
    state.buffer = Buffer.allocUnsafeSlow(state.end) // held for good: not a slice of the shared pool
    c.string.encode(state, command)
    const known = { command, encoded: state.buffer }
    this.#byCommand.set(command, known)
    this.#known.push(known)
    return known
  }

  get (command: string): KnownCommand | undefined {
    return this.#byCommand.get(command)
  }

  /** The known command whose UTF-8 bytes are `buffer[start, start + length)`, or null. */
  find (buffer: Uint8Array, start: number, length: number): string | null {
    const known = this.#known
    for (let i = 0; i < known.length; i++) {
      const bytes = known[i]!.encoded
      // bytes[0] is the length prefix of every known command (they are short)
      if (bytes.length !== length + 1) continue
      let j = 0
      while (j < length && bytes[j + 1] === buffer[start + j]) j++
      if (j === length) return known[i]!.command
    }
    return null
  }
}

/** Bytes of `command` as a compact-encoding string. */
export function commandSize (command: string, table: CommandTable | null): number {
  const known = table?.learn(command)
  if (known !== undefined) return known.encoded.byteLength
  const state: State = { start: 0, end: 0, buffer: EMPTY }
  c.string.preencode(state, command)
  return state.end
}

/** Writes `command` as a compact-encoding string at `offset`; returns the offset after it. */
export function writeCommand (buffer: Uint8Array, offset: number, command: string, table: CommandTable | null): number {
  const known = table?.get(command)
  if (known === undefined) {
    const state: State = { start: offset, end: buffer.byteLength, buffer }
    c.string.encode(state, command)
    return state.start
  }
  buffer.set(known.encoded, offset)
  return offset + known.encoded.byteLength
}

/** Decodes a command whose uint length prefix was already read and checked. */
export function decodeCommand (state: State, length: number, table: CommandTable | null): string {
  const start = state.start
  state.start = start + length
  const known = table?.find(state.buffer, start, length) ?? null
  if (known !== null) return known
  // Bytes that are not UTF-8 decode with U+FFFD in their place, as compact-encoding's string
  // (and so dht-rpc@5.0.0-rc.6) decodes them: such a datagram is answered, not dropped.
  return bufferToString(state.buffer, 'utf8', start, start + length)
}

const EMPTY = new Uint8Array(0)
