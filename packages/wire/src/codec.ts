import { allocUnsafe } from 'b4a'
/**
 * The compact-encoding codec contract: `preencode` adds a value's size to `state.end`,
 * `encode` writes it at `state.start` and advances, `decode` reads it from `state.start`
 * and never past `state.end`. Codecs of this package can be composed with any
 * compact-encoding codec.
 */
export interface State {
  start: number
  end: number
  buffer: Uint8Array
}

export interface Codec<T> {
  preencode (state: State, value: T): void
  encode (state: State, value: T): void
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
