// A simulated network of real @dht/rpc nodes: each node on its own simulated host, all on
// one clock, joined in waves through one bootstrap node.

import { SimNetwork, SeededRandom } from '@dht/io/sim'
import type { SocketFactory } from '@dht/io'
import { DHT } from '@dht/rpc'
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

  constructor (opts: SimOptions) {
    this.net = new SimNetwork({ random: new SeededRandom(opts.seed), latency: opts.latency, loss: opts.loss })
  }

  get clock (): SimNetwork['clock'] {
    return this.net.clock
  }

  /** Starts the bootstrap node: persistent from the start, knowing nobody. */
  async start (): Promise<void> {
    const host = this.net.addHost()
    const port = 49737
    const dht = this.create(host.createSocket, false, port)
    await this.clock.runUntil(dht.ready(), 60_000)
    const peer = { host: host.address, port }
    this.bootstrap.push(peer)
    this.nodes.push({ dht, peer, id: DHT.id(peer), alive: true })
  }

  /** Starts `count` persistent nodes at once and runs the network until they have all joined. */
  async join (count: number): Promise<void> {
    const joining: Array<Promise<void>> = []
    for (let i = 0; i < count; i++) {
      const host = this.net.addHost()
      const dht = this.create(host.createSocket, this.bootstrap, 0)
      const node: SimNode = { dht, peer: { host: host.address, port: 0 }, id: new Uint8Array(32), alive: true }
      this.nodes.push(node)
      joining.push(dht.ready().then(() => {
        node.peer = { host: host.address, port: dht.address()!.port }
        node.id = DHT.id(node.peer, new Uint8Array(32)) // not a view of the shared pool, which it would keep alive
      }))
    }
    await this.clock.runUntil(Promise.all(joining), 10 * 60_000)
  }

  /** Destroys a node: its sockets close, and it answers nothing from now on. */
  async kill (node: SimNode): Promise<void> {
    node.alive = false
    await node.dht.destroy()
  }

  live (): SimNode[] {
    return this.nodes.filter((node) => node.alive)
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
      bootstrap,
      ephemeral: false,
      bind
    })
  }
}
