/**
 * The one error class of @dht/nat. Every error it throws is a NatError with a
 * string `code`; build them with the static factories, test for them with isNatError.
 */

/** Every code a {@link NatError} can carry. */
export type NatErrorCode =
  | 'INVALID_MIN_SAMPLES'
  | 'INVALID_SAMPLE_SIZE'
  | 'INVALID_ADDRESS'
  | 'INVALID_HOST'
  | 'INVALID_PORT'

/** The error of @dht/nat, always for bad input: the message names the argument. */
export class NatError extends Error {
  /** What was wrong, for programs. */
  readonly code: NatErrorCode

  constructor (code: NatErrorCode, message: string) {
    super(message)
    this.name = 'NatError'
    this.code = code
  }

  /** `minSamples` is `value`, which is not a positive integer. */
  static INVALID_MIN_SAMPLES (value: unknown): NatError {
    return new NatError('INVALID_MIN_SAMPLES', `minSamples must be a positive integer, got ${describe(value)}`)
  }

  /** `sampleSize` is `value`, which is not a power of two from 1 to 1024. */
  static INVALID_SAMPLE_SIZE (value: unknown): NatError {
    return new NatError('INVALID_SAMPLE_SIZE', `sampleSize must be a power of two from 1 to 1024, got ${describe(value)}`)
  }

  /** `what` is `value`, which is not an object with a host and a port. */
  static INVALID_ADDRESS (what: string, value: unknown): NatError {
    return new NatError('INVALID_ADDRESS', `${what} must be an object with host and port, got ${describe(value)}`)
  }

  /** The host of `what` is `value`, which is not a string. */
  static INVALID_HOST (what: string, value: unknown): NatError {
    return new NatError('INVALID_HOST', `${what}.host must be a string, got ${describe(value)}`)
  }

  /** The port of `what` is `value`, which is not an integer from 0 to 65535. */
  static INVALID_PORT (what: string, value: unknown): NatError {
    return new NatError('INVALID_PORT', `${what}.port must be an integer from 0 to 65535, got ${describe(value)}`)
  }
}

/** True when `err` is an error thrown by this package. */
export function isNatError (err: unknown): err is NatError {
  return err instanceof NatError
}

// Render any value for a message without ever throwing (symbols, null-prototype objects).
// The rule of @dht/wire's describeValue, which every package's messages follow (this package
// depends on no other): a value's kind and size, and a string's first 40 characters.
function describe (value: unknown): string {
  if (value === null) return 'null'
  if (value === undefined) return 'undefined'
  if (value instanceof Uint8Array) return `a ${value.byteLength}-byte ${value.constructor.name}`
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)
  if (typeof value === 'function') return 'a function'
  if (typeof value === 'object') return 'an object'
  return String(value)
}
