import { describeValue } from './describe.js'
/** Every code a {@link WireError} can carry. */
export type WireErrorCode =
  | 'TRUNCATED'
  | 'INVALID_VERSION'
  | 'INVALID_LENGTH'
  | 'INVALID_ARGUMENT'

/**
 * The only error @dht/wire throws: decoding a datagram fails with one of the decode codes,
 * encoding an invalid message fails with `INVALID_ARGUMENT` and a message naming the field.
 */
export class WireError extends Error {
  /** What went wrong, for programs; the message says it for people. */
  readonly code: WireErrorCode

  constructor (code: WireErrorCode, message: string) {
    super(`${code}: ${message}`)
    this.name = 'WireError'
    this.code = code
  }

  /** The datagram ends inside `field`. */
  static TRUNCATED (field: string): WireError {
    return new WireError('TRUNCATED', `datagram ends inside ${field}`)
  }

  /** The datagram does not start with version 2, the version of dht-rpc v5. */
  static INVALID_VERSION (version: number | undefined): WireError {
    return new WireError('INVALID_VERSION', `expected version 2, got ${version ?? 'nothing'}`)
  }

  /** `field` claims `length` bytes but the datagram has only `remaining` left. */
  static INVALID_LENGTH (field: string, length: number, remaining: number): WireError {
    return new WireError('INVALID_LENGTH', `${field} claims ${length} bytes but only ${remaining} remain`)
  }

  /** A message to encode has `got` in `field`, which must be `expected`. */
  static INVALID_ARGUMENT (field: string, expected: string, got: unknown): WireError {
    return new WireError('INVALID_ARGUMENT', `${field} must be ${expected}, got ${describeValue(got)}`)
  }
}

/** True when `err` is a {@link WireError} (optionally with the given code). */
export function isWireError (err: unknown, code?: WireErrorCode): err is WireError {
  return err instanceof WireError && (code === undefined || err.code === code)
}

