// Command-line parsing shared by the commands: node:util's parseArgs, strict, with its
// errors turned into a UsageError (exit code 2), and parsers for the values the commands
// take: host:port, a port, a count, a 32-byte hex key.
import { parseArgs } from 'node:util'
import type { ParseArgsConfig } from 'node:util'
import { isIPv4 } from '@dht/wire'
import { oneLine } from './output.js'

/** Bad arguments: reported on one line of stderr, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/** An expected failure (no reply, nothing found, port in use): one line of stderr, exit code 1. */
export class CommandError extends Error {
  override readonly name = 'CommandError'
}

/** A host and a port as typed on the command line. */
export interface HostPort {
  host: string
  port: number
}

/** parseArgs, with its errors as UsageErrors. */
export function parseCommandLine<T extends ParseArgsConfig> (config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config)
  } catch (err) {
    if (isParseArgsError(err)) throw new UsageError(usageMessage(err))
    throw err
  }
}

/**
 * A parseArgs error in the words of our other messages. Node's own text for an unknown
 * option goes on about positionals after '--' and leaves a quote open; the option it names
 * is all a user needs.
 */
function usageMessage (err: TypeError & { code: string }): string {
  const message = oneLine(err)
  const option = /^(?:Unknown option|Option) '(-[^' ]*)/.exec(message)?.[1]
  if (option === undefined) return message
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${JSON.stringify(option)}`
  if (message.endsWith('argument missing')) return `missing value for ${option}`
  if (message.endsWith('does not take an argument')) return `${option} takes no value`
  return message
}

/** True when `--help` or `-h` comes before any `--`. */
export function wantsHelp (argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false
    if (arg === '--help' || arg === '-h') return true
  }
  return false
}

/** Checks that exactly the named positionals were given; returns them in order. */
export function expectPositionals (positionals: readonly string[], names: readonly string[]): string[] {
  if (positionals.length < names.length) throw new UsageError(`missing ${names[positionals.length]!}`)
  if (positionals.length > names.length) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[names.length])}`)
  return [...positionals]
}

/** 'host:port' with a port from 1 to 65535. */
export function parseHostPort (text: string, what = 'address'): HostPort {
  const match = /^([^\s:]+):(\d{1,5})$/.exec(text)
  const port = match !== null ? Number(match[2]) : 0
  if (match === null || port < 1 || port > 65535) {
    throw new UsageError(`bad ${what} ${JSON.stringify(text)}: expected host:port, like 127.0.0.1:10001`)
  }
  return { host: match[1]!, port }
}

/** 'host:port' to listen on: an IPv4 address and a port from 0 (any free one) to 65535. */
export function parseListenAddress (text: string, name: string): HostPort {
  const match = /^([^\s:]+):(\d{1,5})$/.exec(text)
  const port = match !== null ? Number(match[2]) : -1
  if (match === null || !isIPv4(match[1]!) || port > 65535) {
    throw new UsageError(`bad ${name} ${JSON.stringify(text)}: expected IPv4-address:port, like 127.0.0.1:9090 (port 0: any free port)`)
  }
  return { host: match[1]!, port }
}

/** Every --bootstrap given (each may be a comma-separated list); at least one is required. */
export function parseBootstrapList (values: readonly string[] | undefined): HostPort[] {
  const entries = (values ?? []).flatMap((value) => value.split(',')).filter((entry) => entry !== '')
  if (entries.length === 0) throw new UsageError('missing --bootstrap host:port')
  return entries.map((entry) => parseHostPort(entry, '--bootstrap'))
}

/** An IPv4 address to bind. */
export function parseHost (text: string, name: string): string {
  if (!isIPv4(text)) throw new UsageError(`bad ${name} ${JSON.stringify(text)}: expected an IPv4 address, like 127.0.0.1`)
  return text
}

/** A port from `min` to 65535 (0 means any free port). */
export function parsePort (text: string, name: string, min = 0): number {
  return parseCount(text, name, min, 65535)
}

/** A whole number from `min` to `max`. */
export function parseCount (text: string, name: string, min: number, max: number): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN
  if (!(n >= min && n <= max)) throw new UsageError(`bad ${name} ${JSON.stringify(text)}: expected a whole number from ${min} to ${max}`)
  return n
}

/** A 32-byte key or target written as 64 hex digits. */
export function parseKey (text: string, name: string): Buffer {
  if (!/^[0-9a-fA-F]{64}$/.test(text)) throw new UsageError(`bad ${name} ${JSON.stringify(text)}: expected 64 hex digits (32 bytes)`)
  return Buffer.from(text, 'hex')
}

function isParseArgsError (err: unknown): err is TypeError & { code: string } {
  const code = err instanceof TypeError ? (err as TypeError & { code?: unknown }).code : undefined
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')
}
