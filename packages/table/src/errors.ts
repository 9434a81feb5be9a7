/** Every code a {@link TableError} can carry. */
export type TableErrorCode =
  | 'INVALID_ID'
  | 'INVALID_ARGUMENT'

/**
 * The only error @dht/table throws, always for bad input: `INVALID_ID` when an id is not a
 * 32-byte Uint8Array, `INVALID_ARGUMENT` (with a message naming the argument) for anything else.
 * Normal outcomes (a full bucket, an unknown id, an empty table) are return values, not errors.
 */
export class TableError extends Error {
  /** What was wrong, for programs; the message says it for people. */
  readonly code: TableErrorCode

  constructor (code: TableErrorCode, message: string) {
    super(`${code}: ${message}`)
    this.name = 'TableError'
    this.code = code
  }

  /** `field` is `got`, which is not a 32-byte Uint8Array. */
  static INVALID_ID (field: string, got: unknown): TableError {
    return new TableError('INVALID_ID', `${field} must be a 32-byte Uint8Array, got ${describe(got)}`)
  }

  /** `field` is `got`, which is not `expected`. */
  static INVALID_ARGUMENT (field: string, expected: string, got: unknown): TableError {
    return new TableError('INVALID_ARGUMENT', `${field} must be ${expected}, got ${describe(got)}`)
  }
}

/** True when `err` is a {@link TableError} (optionally with the given code). */
export function isTableError (err: unknown, code?: TableErrorCode): err is TableError {
  return err instanceof TableError && (code === undefined || err.code === code)
}

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
