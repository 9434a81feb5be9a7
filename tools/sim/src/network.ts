// A simulated network of real @dht/rpc nodes: each node on its own simulated host, all on
// one clock, joined in waves through one bootstrap node. Or one partition of such a network,
// when several threads share it (see partition/).

import { SimNetwork, SeededRandom } from '@dht/sim'
import type { SimPartition } from '@dht/sim'
import type { SocketFactory } from '@dht/io'
import { DHT } from '@dht/rpc'
import { Intern } from '@dht/wire'
import type { Peer } from '@dht/wire'

export interface SimOptions {
  seed: number
  /** One-way latency range in ms. */
  latency: { min: number, max: number }
  /** Probability that a datagram is lost. */
  loss: number
}

export interface SimNode {
  dht: DHT
  /** Its address, as the others reach it. */
  peer: Peer
  /** Its routing id once persistent. */
  id: Uint8Array
  alive: boolean
}

export class SimulatedNetwork {
  readonly net: SimNetwork
  readonly nodes: SimNode[] = []
  readonly bootstrap: Peer[] = []
  // what the nodes of this thread share: their decoded peers and ids
  readonly #intern: Intern

  /** `nodes`: how many nodes this network (or this partition of one) will run. */
  constructor (opts: SimOptions, nodes: number, partition?: SimPartition) {
    this.#intern = new Intern({ nodes })
    // each partition draws its own ports and losses
    const seed = partition === undefined ? opts.seed : opts.seed ^ Math.imul(partition.index + 1, 0x9e3779b1)
    this.net = new SimNetwork({ random: new SeededRandom(seed), latency: opts.latency, loss: opts.loss, ...(partition === undefined ? {} : { partition }) })
  }

  get clock (): SimNetwork['clock'] {
    return this.net.clock
  }

  /** Starts the bootstrap node: persistent from the start, knowing nobody. */
  async start (): Promise<void> {
    await this.clock.runUntil(this.addBootstrap(), 60_000)
  }

  /** Starts `count` persistent nodes at once and runs the network until they have all joined. */
  async join (count: number): Promise<void> {
    await this.clock.runUntil(Promise.all(this.addNodes(count, this.bootstrap)), 10 * 60_000)
  }

  /** Adds the bootstrap node; it is ready when the promise settles (run the clock meanwhile). */
  addBootstrap (): Promise<SimNode> {
    const host = this.net.addHost()
    const port = 49737
    const dht = this.create(host.createSocket, false, port)
    const peer = { host: host.address, port }
    const node: SimNode = { dht, peer, id: DHT.id(peer, new Uint8Array(32)), alive: true }
    this.bootstrap.push(peer)
    this.nodes.push(node)
    return dht.ready().then(() => node)
  }

  /** Adds `count` persistent nodes that join through `bootstrap`: one promise each, settled once it has joined. */
  addNodes (count: number, bootstrap: Peer[]): Array<Promise<SimNode>> {
    const joining: Array<Promise<SimNode>> = []
    for (let i = 0; i < count; i++) {
      const host = this.net.addHost()
      const dht = this.create(host.createSocket, bootstrap, 0)
      const node: SimNode = { dht, peer: { host: host.address, port: 0 }, id: new Uint8Array(32), alive: true }
      this.nodes.push(node)
      joining.push(dht.ready().then(() => {
        node.peer = { host: host.address, port: dht.address()!.port }
        node.id = DHT.id(node.peer, new Uint8Array(32)) // not a view of the shared pool, which it would keep alive
        return node
      }))
    }
    return joining
  }

  /** Destroys a node: its sockets close, and it answers nothing from now on. */
  async kill (node: SimNode): Promise<void> {
    node.alive = false
    await node.dht.destroy()
  }

  async destroy (): Promise<void> {
    await Promise.all(this.nodes.filter((n) => n.alive).map((n) => n.dht.destroy()))
    await this.clock.run(1)
  }

  private create (createSocket: SocketFactory, bootstrap: Peer[] | false, bind: number): DHT {
    return new DHT({
      createSocket,
      clock: this.net.clock,
      random: this.net.random,
      intern: this.#intern,
      bootstrap,
      ephemeral: false,
      bind,
      networkInterfaces: false // a simulated host has none: reading the machine's for every node costs time
    })
  }
}
