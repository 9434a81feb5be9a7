// The errors @dht/rpc raises of its own. Every error the library raises carries a string
// `code`: an IOError (requests, sockets), a QueryError (lookups, commits), a DHTError (the
// node), or, for a bad argument, a TypeError with code INVALID_ARGUMENT whose message names it.

import { describeValue } from '@dht/wire'

/** Every code a {@link DHTError} can carry. */
export type DHTErrorCode =
  | 'BOOTSTRAP_FAILED'
  | 'TOO_FEW_NODES'

/** The error of the node itself (see also IOError and QueryError, which it passes on). */
export class DHTError extends Error {
  /** What went wrong, for programs; the message says it for people. */
  readonly code: DHTErrorCode

  constructor (code: DHTErrorCode, message: string) {
    super(message)
    this.name = 'DHTError'
    this.code = code
  }

  /** No bootstrap node answered the first lookup (a 'warning' event: the node still starts). */
  static BOOTSTRAP_FAILED (nodes: ReadonlyArray<{ host: string, port: number }>): DHTError {
    return new DHTError('BOOTSTRAP_FAILED', `Bootstrap failed: no node answered (${nodes.map((n) => `${n.host}:${n.port}`).join(', ')})`)
  }

  /** `requestAll()` was given fewer nodes than it must hear from. */
  static TOO_FEW_NODES (given: number, min: number): DHTError {
    return new DHTError('TOO_FEW_NODES', `Too few nodes to request: ${given} given, at least ${min} needed`)
  }
}

/** True when `err` is a {@link DHTError} (optionally with the given code). */
export function isDHTError (err: unknown, code?: DHTErrorCode): err is DHTError {
  return err instanceof DHTError && (code === undefined || err.code === code)
}

/** A bad argument: a TypeError whose message names it and says what it must be. */
export type InvalidArgumentError = TypeError & {
  /** Always `'INVALID_ARGUMENT'`. */
  readonly code: 'INVALID_ARGUMENT'
}

/** `${name} must be ${expected}, got <what it was>`. */
export function invalidArgument (name: string, expected: string, got: unknown): InvalidArgumentError {
  return Object.assign(new TypeError(`${name} must be ${expected}, got ${describeValue(got)}`), { code: 'INVALID_ARGUMENT' as const })
}

/** A short description of a value for error messages: its type, and the value when short. */
