/**
 * A bad value as the error messages of every `@dht` package name it: its kind and size, and a
 * string's first 40 characters, never more of its contents (an error message may be logged,
 * and a value may be a large buffer).
 *
 * @example
 * ```ts
 * describeValue(new Uint8Array(31)) // 'a 31-byte Uint8Array'
 * describeValue({ host: 'x' })      // 'an object'
 * ```
 */
export function describeValue (value: unknown): string {
  if (value === null) return 'null'
  if (value === undefined) return 'undefined'
  if (value instanceof Uint8Array) return `a ${value.byteLength}-byte ${value.constructor.name}`
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)
  if (typeof value === 'function') return 'a function'
  if (typeof value === 'object') return 'an object'
  return String(value)
}
