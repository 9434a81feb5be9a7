/** Every code an {@link IOError} can carry. */
export type IOErrorCode =
  | 'REQUEST_TIMEOUT'
  | 'REQUEST_FAILED'
  | 'REQUEST_CANCELLED'
  | 'DESTROYED'
  | 'SUSPENDED'
  | 'BIND_FAILED'
  | 'INVALID_ARGUMENT'

/**
 * The error of @dht/io. `status` is the reply's status for `REQUEST_FAILED` and 0 otherwise,
 * like the `status` of dht-rpc's errors.
 */
export class IOError extends Error {
  /** What went wrong, for programs; the message says it for people. */
  readonly code: IOErrorCode
  /** The reply's status for `REQUEST_FAILED`; 0 otherwise. */
  readonly status: number

  constructor (code: IOErrorCode, message: string, status = 0, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause })
    this.name = 'IOError'
    this.code = code
    this.status = status
  }

  /** No reply to `command` from `host:port` after `sends` sends over `ms` milliseconds. */
  static REQUEST_TIMEOUT (command: string, host: string, port: number, sends: number, ms: number): IOError {
    return new IOError('REQUEST_TIMEOUT', `Request timed out: ${command} to ${host}:${port} got no reply in ${Math.round(ms)} ms (${sends} send${sends === 1 ? '' : 's'})`)
  }

  /** The reply to `command` has a non-zero `status`, and the request expected 0. */
  static REQUEST_FAILED (command: string, status: number): IOError {
    return new IOError('REQUEST_FAILED', `Request failed with status ${status}: ${command}`, status)
  }

  /**
   * The request was cancelled before its reply came. `reason`: its AbortSignal aborted with
   * it, and it is the error's `cause`.
   */
  static REQUEST_CANCELLED (reason?: unknown): IOError {
    if (reason === undefined) return new IOError('REQUEST_CANCELLED', 'Request cancelled')
    return new IOError('REQUEST_CANCELLED', 'Request cancelled: its signal aborted', 0, reason)
  }

  /** The node was destroyed: what was in flight fails with it, and nothing more can be sent. */
  static DESTROYED (): IOError {
    return new IOError('DESTROYED', 'Node destroyed')
  }

  /**
   * The node was suspended: what was in flight fails with it, and nothing is sent until it
   * resumes. Unlike `DESTROYED`, trying again after the resume may succeed.
   */
  static SUSPENDED (): IOError {
    return new IOError('SUSPENDED', 'Node suspended')
  }

  /** The socket could not be bound (`cause` says why: the port is taken, …). */
  static BIND_FAILED (cause: Error): IOError {
    return new IOError('BIND_FAILED', `Socket could not be bound: ${cause.message}`, 0, cause)
  }

  /** An argument is not what the call takes; `message` names it. */
  static INVALID_ARGUMENT (message: string): IOError {
    return new IOError('INVALID_ARGUMENT', message)
  }
}

/** True when `err` is an {@link IOError} (optionally with the given code). */
export function isIOError (err: unknown, code?: IOErrorCode): err is IOError {
  return err instanceof IOError && (code === undefined || err.code === code)
}
