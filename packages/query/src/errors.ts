import { describeValue } from '@dht/wire'

/** Every code a {@link QueryError} can carry. */
export type QueryErrorCode =
  | 'INVALID_ARGUMENT'
  | 'NO_CLOSEST_REPLIES'
  | 'COMMIT_FAILED'
  | 'NO_TOKEN'
  | 'COMMIT_REJECTED'
  | 'TOO_MANY_FAILED'

/**
 * The error of @dht/query. `INVALID_ARGUMENT` is thrown at once for bad input (the message
 * names the argument); the other codes end a query stream or reject a promise.
 */
export class QueryError extends Error {
  /** What went wrong, for programs; the message says it for people. */
  readonly code: QueryErrorCode

  constructor (code: QueryErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'QueryError'
    this.code = code
  }

  /** A constructor argument or option of the wrong type or out of range. */
  static INVALID_ARGUMENT (field: string, expected: string, got: unknown): QueryError {
    return new QueryError('INVALID_ARGUMENT', `${field} must be ${expected}, got ${describeValue(got)}`)
  }

  /** A committing query that got no reply with status 0 and an id to commit to. */
  static NO_CLOSEST_REPLIES (): QueryError {
    return new QueryError('NO_CLOSEST_REPLIES', 'Too few nodes responded')
  }

  /** Every commit failed; `cause` is an AggregateError of their errors. */
  static COMMIT_FAILED (errors: readonly unknown[]): QueryError {
    const n = errors.length
    return new QueryError('COMMIT_FAILED', `All ${n} commit${n === 1 ? '' : 's'} failed`, {
      cause: new AggregateError(errors, 'Commit errors')
    })
  }

  /** An auto-commit to a closest reply that carried no round-trip token. */
  static NO_TOKEN (host: string, port: number): QueryError {
    return new QueryError('NO_TOKEN', `No token received for closest node ${host}:${port}`)
  }

  /** An auto-commit answered with a non-zero status. */
  static COMMIT_REJECTED (host: string, port: number, status: number): QueryError {
    return new QueryError('COMMIT_REJECTED', `Commit to ${host}:${port} failed with status ${status}`)
  }

  /** {@link @dht/query!settleAtLeast}: fewer than `min` promises can still succeed; `cause` holds the failures. */
  static TOO_MANY_FAILED (min: number, errors: readonly unknown[]): QueryError {
    return new QueryError('TOO_MANY_FAILED', `Too many requests failed: fewer than ${min} can succeed`, {
      cause: new AggregateError(errors, 'Request errors')
    })
  }
}

/** True when `err` is a {@link QueryError} (optionally with the given code). */
export function isQueryError (err: unknown, code?: QueryErrorCode): err is QueryError {
  return err instanceof QueryError && (code === undefined || err.code === code)
}

