// Nodes as the commands start them: ephemeral clients that join through --bootstrap, and
// nodes bound to the port the user asked for. Each shows its warnings and is destroyed when
// the session closes.
import { DHT } from '../dht.js'
import type { DHTOptions } from '../types.js'
import { CommandError } from './args.js'
import type { HostPort } from './args.js'
import { address } from './output.js'
import type { Session } from './session.js'
import type { Warnings } from './warnings.js'

/** A node whose warnings go to `warnings`, destroyed when the session closes. */
export function startNode (session: Session, opts: DHTOptions, warnings: Warnings): DHT {
  const node = new DHT(opts)
  node.on('warning', (err) => {
    // a taken port: the node binds another, and bindExactly fails the command if the user
    // asked for that port, so the socket's error would only say it twice
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') warnings.add(err)
  })
  session.defer(() => node.destroy())
  return node
}

/** Binds `node`; fails when `port` (unless 0) is taken rather than fall back to another one. */
export async function bindExactly (node: DHT, port: number): Promise<number> {
  const bound = await node.bind()
  if (port !== 0 && bound !== port) throw new CommandError(`port ${port} is in use`)
  return bound
}

/** An ephemeral node that has joined through `bootstrap` and knows at least one node. */
export async function joinAsClient (session: Session, bootstrap: readonly HostPort[], warnings: Warnings): Promise<DHT> {
  const node = startNode(session, { ephemeral: true, bootstrap }, warnings)
  await node.ready()
  if (node.table.size === 0) throw new CommandError(`no DHT node answered through ${bootstrap.map(address).join(', ')}`)
  return node
}
