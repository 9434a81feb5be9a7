import c from 'compact-encoding'
import { allocUnsafe } from 'b4a'

/**
 * The compact-encoding codec contract: `preencode` adds a value's size to `state.end`,
 * `encode` writes it at `state.start` and advances, `decode` reads it from `state.start`
 * and never past `state.end`. Codecs of this package can be composed with any
 * compact-encoding codec.
 */
export interface State {
  /** Where the next value is written or read. */
  start: number
  /** While preencoding, the size so far; then the end of the bytes that may be read. */
  end: number
  /** The bytes written to or read from. */
  buffer: Uint8Array
}

/** A compact-encoding codec for values of type `T` (see {@link State}). */
export interface Codec<T> {
  /** Adds the encoded size of `value` to `state.end`. */
  preencode (state: State, value: T): void
  /** Writes `value` at `state.start` and advances it past what it wrote. */
  encode (state: State, value: T): void
  /** Reads a value at `state.start`, advancing it, never past `state.end`. */
  decode (state: State): T
}

/** A state for decoding all of `buffer`. */
export function decodeState (buffer: Uint8Array): State {
  return { start: 0, end: buffer.byteLength, buffer }
}

/** Runs `codec` over `value` into one buffer of exactly the encoded size. */
export function encodeExact<T> (codec: Codec<T>, value: T): Uint8Array {
  const state: State = { start: 0, end: 0, buffer: EMPTY }
  codec.preencode(state, value)
  state.buffer = allocUnsafe(state.end)
  codec.encode(state, value)
  return state.buffer
}

const EMPTY = new Uint8Array(0)

// The message encoders of this package write at an offset they keep in a local, rather than
// through a state object, and take these two paths into compact-encoding for a uint.

/** Bytes of compact-encoding's uint for `n`. */
export function uintSize (n: number): number {
  if (n <= MAX_ONE_BYTE_UINT) return 1
  const state: State = { start: 0, end: 0, buffer: EMPTY }
  c.uint.preencode(state, n)
  return state.end
}

/** Writes compact-encoding's uint for `n` at `offset`; returns the offset after it. */
export function writeUint (buffer: Uint8Array, offset: number, n: number): number {
  if (n <= MAX_ONE_BYTE_UINT) {
    buffer[offset] = n
    return offset + 1
  }
  const state: State = { start: offset, end: buffer.byteLength, buffer }
  c.uint.encode(state, n)
  return state.start
}

/** Larger uints start with a marker byte 0xfd, 0xfe or 0xff. */
const MAX_ONE_BYTE_UINT = 0xfc
