// Real NATs and firewalls (iptables in Linux network namespaces), with every node in its own
// process: public nodes go persistent; nodes behind each kind of router see the router's
// address and the right NAT type in remoteAddress(), stay ephemeral, and never enter anyone's
// routing table. Needs root; skipped with the reason otherwise. See topology.ts for the network.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import DHT from '@dht/rpc'
import { peerKey, refreshAll, startPublicNetwork } from './network.js'
import type { PublicNetwork } from './network.js'
import type { NodeProcess } from './process.js'
import type { NodeInfo } from './protocol.js'
import { unavailable } from './sh.js'
import { Topology } from './topology.js'
import type { Router, RouterKind } from './topology.js'

const PUBLIC_HOSTS = 8 // a NATed node then has 9 referrers: enough to tell random ports from incrementing ones

const skip = await unavailable(['ip', 'iptables'])

interface Behind {
  router: Router
  /** Adaptive (the default): decides ephemerality from its NAT type and uptime. */
  adaptive: NodeProcess
  /** ephemeral: false: tries to go persistent as soon as it is bootstrapped (dht.ts tryPersistent). */
  eager: NodeProcess
}

describe('real NAT in network namespaces', { skip: skip ?? false, timeout: 120_000 }, () => {
  let topology: Topology | null = null
  let net: PublicNetwork
  const behind = new Map<RouterKind, Behind>()
  let setupMs = 0

  before(async () => {
    const started = Date.now()
    topology = await Topology.create()
    const topo = topology
    const routers = await Promise.all(([['nat', 21, 'masquerade'], ['rnd', 22, 'random'], ['fw', 23, 'firewall'], ['rfw', 24, 'routed-firewall']] as const)
      .map(([name, index, kind]) => topo.addRouter(name, index, kind)))
    net = await startPublicNetwork(topo, PUBLIC_HOSTS)
    const nodes = await topo.startNodes(routers.flatMap((router) => [
      { name: `${router.lan.name}-adaptive`, host: router.lan, config: { bootstrap: net.bootstrap } },
      { name: `${router.lan.name}-eager`, host: router.lan, config: { ephemeral: false, bootstrap: net.bootstrap } }
    ]))
    await Promise.all(nodes.map((node) => node.call({ cmd: 'ready' })))
    routers.forEach((router, i) => behind.set(router.kind, { router, adaptive: nodes[2 * i]!, eager: nodes[2 * i + 1]! }))
    // everyone looks around once more: the NATed nodes collect a sample from every public node
    // (a lookup that a busy machine cut short may have missed some), and the public nodes
    // have had every chance to add a NATed node to their tables
    await refreshAll(nodes)
    await refreshAll(net.publics)
    setupMs = Date.now() - started
  })

  after(async () => {
    await topology?.destroy()
  })

  function get (kind: RouterKind): Behind {
    const b = behind.get(kind)
    assert.ok(b !== undefined, `nodes behind the ${kind} router`)
    return b
  }

  it('public nodes go persistent, see themselves as NAT_OPEN, and enter each other\'s tables', async (t) => {
    t.diagnostic(`network of ${PUBLIC_HOSTS} public hosts, 4 routers and ${2 + PUBLIC_HOSTS + 2 * 4} namespaces up in ${setupMs} ms`)
    const infos = await Promise.all(net.publics.map((node) => node.call({ cmd: 'info' })))
    infos.forEach((info, i) => {
      const node = net.publics[i]!
      const self = { host: node.host, port: node.port }
      assert.equal(info.ephemeral, false, `${node.name} is persistent`)
      assert.ok(info.events.includes('persistent'), `${node.name} emitted 'persistent'`)
      assert.equal(info.id, Buffer.from(DHT.id(self)).toString('hex'), `${node.name}'s id is the hash of its address`)
      assert.deepEqual(info.remoteAddress, { type: 'NAT_OPEN', host: node.host, port: node.port }, `${node.name}'s remoteAddress()`)
    })
    for (const node of net.publics) {
      const holders = infos.filter((info) => info.table.some((p) => peerKey(p) === peerKey(node))).length
      assert.ok(holders >= (PUBLIC_HOSTS - 1) / 2, `${node.name} is in ${holders} of the other ${PUBLIC_HOSTS - 1} public nodes' tables`)
    }
    const boot = await net.bootstrapNode.call({ cmd: 'info' })
    assert.equal(boot.ephemeral, true, 'the bootstrap node stays ephemeral')
  })

  it('behind a port-preserving masquerade: NAT_PORT_CONSISTENT at the router\'s address and the node\'s own port', async () => {
    const { router, adaptive, eager } = get('masquerade')
    await expectBehind(router, adaptive, { type: 'NAT_PORT_CONSISTENT', host: router.wan, port: adaptive.port })
    await expectBehind(router, eager, { type: 'NAT_PORT_CONSISTENT', host: router.wan, port: eager.port })
    // the eager node asked the public nodes for ping_nat: their replies come from another
    // port, which this NAT maps to nobody (Linux NAT filters by address and port), so they
    // stopped at the router and the node found itself firewalled
    assert.ok(await topology!.unsolicited(router) > 0, 'ping_nat replies reached the router and went no further')
  })

  it('behind a router with --random-fully: NAT_PORT_RANDOMIZED at the router\'s address', async (t) => {
    const { router, adaptive, eager } = get('random')
    await expectBehind(router, adaptive, { type: 'NAT_PORT_RANDOMIZED', host: router.wan, port: 0 })
    await expectBehind(router, eager, { type: 'NAT_PORT_RANDOMIZED', host: router.wan, port: 0 })
    // with random ports the eager node gives up before any ping_nat, so nothing comes unasked;
    // not asserted: when a busy machine cut its first lookup short, one sample (the bootstrap
    // node's) looks consistent and it does ask
    const unsolicited = await topology!.unsolicited(router)
    t.diagnostic(`${unsolicited} unsolicited datagrams at the random router (0: the eager node never sent ping_nat)`)
  })

  it('behind a NAT that drops unsolicited inbound traffic: port-consistent, but firewalled', async () => {
    const { router, adaptive, eager } = get('firewall')
    await expectBehind(router, adaptive, { type: 'NAT_PORT_CONSISTENT', host: router.wan, port: adaptive.port })
    await expectBehind(router, eager, { type: 'NAT_PORT_CONSISTENT', host: router.wan, port: eager.port })
    assert.ok(await topology!.unsolicited(router) > 0, 'the firewall dropped the ping_nat replies')
  })

  it('a public address behind a firewall: consistent and its own address, but still firewalled', async () => {
    const { router, adaptive, eager } = get('routed-firewall')
    const host = router.lan.address
    await expectBehind(router, adaptive, { type: 'NAT_PORT_CONSISTENT', host, port: adaptive.port })
    // nothing but the ping_nat check keeps this one out of the tables: no NAT, a consistent port
    await expectBehind(router, eager, { type: 'NAT_PORT_CONSISTENT', host, port: eager.port })
    assert.ok(await topology!.unsolicited(router) > 0, 'the firewall dropped the ping_nat replies')
  })

  it('NATed and firewalled nodes never enter other nodes\' routing tables', async () => {
    const hidden = new Set<string>()
    for (const { router } of behind.values()) hidden.add(router.wan).add(router.lan.address)
    const all = [net.bootstrapNode, ...net.publics, ...[...behind.values()].flatMap((b) => [b.adaptive, b.eager])]
    const infos = await Promise.all(all.map((node) => node.call({ cmd: 'info' })))
    const publicAddresses = new Set(net.publics.map((node) => peerKey(node)))
    infos.forEach((info, i) => {
      for (const peer of info.table) {
        assert.ok(!hidden.has(peer.host), `${all[i]!.name}'s table holds ${peerKey(peer)}, a NATed or firewalled node`)
        assert.ok(publicAddresses.has(peerKey(peer)), `${all[i]!.name}'s table holds ${peerKey(peer)}, not a public node`)
      }
    })
    // and not because nobody heard from them: they bootstrapped into the public nodes
    for (const b of behind.values()) {
      for (const node of [b.adaptive, b.eager]) {
        const info = infos[all.indexOf(node)]!
        assert.ok(info.table.length >= 3, `${node.name} knows ${info.table.length} public nodes`)
      }
    }
  })
})

async function expectBehind (router: Router, node: NodeProcess, remote: NodeInfo['remoteAddress']): Promise<void> {
  const info = await node.call({ cmd: 'info' })
  assert.deepEqual(info.remoteAddress, remote, `${node.name}'s remoteAddress() behind the ${router.kind} router`)
  assert.equal(info.ephemeral, true, `${node.name} stays ephemeral`)
  assert.equal(info.id, null, `${node.name} has no id`)
  assert.ok(!info.events.includes('persistent'), `${node.name} never went persistent`)
  assert.ok(info.events.includes('ready'), `${node.name} is bootstrapped`)
}
