// The public side of the netns tests: an ephemeral bootstrap node and `count` public nodes
// with ephemeral: false, each in its own namespace on the internet of topology.ts.
import type { Peer } from '@dht/rpc'
import type { NodeProcess } from './process.js'
import type { Host, Topology } from './topology.js'

export const BOOTSTRAP_PORT = 10001
export const PUBLIC_PORT = 49737
const BOOTSTRAP_INDEX = 100

export interface PublicNetwork {
  bootstrapNode: NodeProcess
  /** The bootstrap option for every other node. */
  bootstrap: Peer[]
  hosts: Host[]
  publics: NodeProcess[]
}

/**
 * Starts the bootstrap node at 172.16.100.2:10001 and `count` public nodes at
 * 172.16.<1..count>.2:49737, each its own host, waits until all are ready, and then has each
 * look up its own id so that they all know each other.
 */
export async function startPublicNetwork (topology: Topology, count: number): Promise<PublicNetwork> {
  const bootHost = await topology.addPublicHost('boot', BOOTSTRAP_INDEX)
  const hosts = await Promise.all(Array.from({ length: count }, (_, i) => topology.addPublicHost(`p${i + 1}`, i + 1)))
  const [bootstrapNode] = await topology.startNodes([{ name: 'bootstrap', host: bootHost, config: { ephemeral: true, bootstrap: [], port: BOOTSTRAP_PORT } }]) as [NodeProcess]
  await bootstrapNode.call({ cmd: 'ready' })
  const bootstrap = [{ host: bootHost.address, port: bootstrapNode.port }]
  const publics = await topology.startNodes(hosts.map((host) => ({ name: host.name, host, config: { ephemeral: false, bootstrap, port: PUBLIC_PORT } })))
  await Promise.all(publics.map((node) => node.call({ cmd: 'ready' })))
  await refreshAll(publics)
  return { bootstrapNode, bootstrap, hosts, publics }
}

/** Every node looks up its own id (to the end), all at once. */
export async function refreshAll (nodes: readonly NodeProcess[]): Promise<void> {
  await Promise.all(nodes.map((node) => node.call({ cmd: 'refresh' })))
}

export function peerKey (peer: Peer): string {
  return `${peer.host}:${peer.port}`
}
