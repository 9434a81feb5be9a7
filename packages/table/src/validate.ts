// Input checks shared by the table's public methods. Each throws a TableError naming the argument.

import { TableError } from './errors.js'

/** Routing ids are BLAKE2b-256 digests. */
export const ID_BYTES = 32

export function assertId (value: unknown, field: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array) || value.byteLength !== ID_BYTES) throw TableError.INVALID_ID(field, value)
}

export function assertCount (value: unknown, field: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw TableError.INVALID_ARGUMENT(field, 'a non-negative integer', value)
  }
}

export function assertTick (value: unknown, field: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw TableError.INVALID_ARGUMENT(field, 'an integer tick', value)
  }
}

export function assertAddress (host: unknown, port: unknown): void {
  if (typeof host !== 'string') throw TableError.INVALID_ARGUMENT('node.host', 'a string', host)
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 0xffff) {
    throw TableError.INVALID_ARGUMENT('node.port', 'an integer from 0 to 65535', port)
  }
}
