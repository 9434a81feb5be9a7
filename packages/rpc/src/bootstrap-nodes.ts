import { lookup } from 'node:dns/promises'
import { id, isIPv4 } from '@dht/wire'
import type { Peer } from '@dht/wire'
import { invalidArgument } from './errors.js'
import { assertPort } from './validate.js'

/** A bootstrap node as given: a host name or IPv4 address, and a port. */
export interface BootstrapNode {
  /** A host name or an IPv4 address. */
  host: string
  /** Its UDP port. */
  port: number
}

/** A bootstrap node resolved to IPv4, with its routing id. */
export interface ResolvedNode extends Peer {
  id: Uint8Array
}

/** Parses the `bootstrap` option: 'host:port' strings or { host, port } objects. */
export function parseBootstrap (option: unknown): BootstrapNode[] {
  if (option === false || option === undefined || option === null) return []
  if (!Array.isArray(option)) throw invalidArgument('bootstrap', 'an array of "host:port" strings or { host, port } objects, or false', option)
  return option.map((entry: unknown, i) => {
    const name = `bootstrap[${i}]`
    if (typeof entry === 'string') {
      const colon = entry.lastIndexOf(':')
      const host = entry.slice(0, colon)
      const port = Number(entry.slice(colon + 1))
      if (colon <= 0 || entry.slice(colon + 1) === '') throw invalidArgument(name, '"host:port"', entry)
      assertPort(port, `${name} port`, 1)
      return { host, port }
    }
    if (typeof entry === 'object' && entry !== null) {
      const { host, port } = entry as { host?: unknown, port?: unknown }
      if (typeof host !== 'string' || host.length === 0) throw invalidArgument(`${name}.host`, 'a host name or IPv4 address', host)
      assertPort(port, `${name}.port`, 1)
      return { host, port }
    }
    throw invalidArgument(name, '"host:port" or { host, port }', entry)
  })
}

/** Resolves each node to IPv4 by DNS (literal addresses skip it); unresolvable ones are left out, each told to `onerror`. */
export async function resolveBootstrap (nodes: readonly BootstrapNode[], onerror?: (err: Error, node: BootstrapNode) => void): Promise<ResolvedNode[]> {
  const resolved = await Promise.all(nodes.map(async (node) => {
    try {
      const host = isIPv4(node.host) ? node.host : (await lookup(node.host, { family: 4 })).address
      return { id: id(host, node.port), host, port: node.port }
    } catch (err) {
      onerror?.(err as Error, node)
      return null
    }
  }))
  return resolved.filter((node): node is ResolvedNode => node !== null)
}

/**
 * The bootstrap nodes, resolved again at each use (a name may move). A name that does not
 * resolve is told to `warn` once, not at every lookup that needs the bootstrap nodes, and
 * again only if it resolved in between.
 */
export class BootstrapResolver {
  readonly #nodes: readonly BootstrapNode[]
  readonly #warn: (err: Error) => void
  #unresolved = new Set<string>()

  constructor (nodes: readonly BootstrapNode[], warn: (err: Error) => void) {
    this.#nodes = nodes
    this.#warn = warn
  }

  async resolve (): Promise<ResolvedNode[]> {
    const failed = new Set<string>()
    const nodes = await resolveBootstrap(this.#nodes, (err, node) => {
      failed.add(node.host)
      if (!this.#unresolved.has(node.host)) this.#warn(err)
    })
    this.#unresolved = failed
    return nodes
  }
}
