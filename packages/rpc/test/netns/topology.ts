// A small internet in Linux network namespaces, for the tests that run nodes over real NATs,
// firewalls, loss and delay:
//
//   - "inet": a router namespace, the internet. Every other namespace hangs off it on its own
//     link 172.16.<i>.0/24 (inet is .1, the namespace .2) and reaches the others through it.
//   - public hosts: one namespace each, at 172.16.<i>.2.
//   - routers: a namespace with "wan" at 172.16.<i>.2 and "lan" at 10.<i>.0.1, and behind it one
//     LAN host namespace at 10.<i>.0.2. Kinds:
//       masquerade       iptables MASQUERADE (Linux keeps the source port when it is free)
//       random           MASQUERADE --random-fully (a random port per connection)
//       firewall         masquerade, and drops whatever arrives on wan unsolicited
//                        (conntrack ESTABLISHED,RELATED only)
//       routed-firewall  no NAT: the LAN host has a public address (172.20.<i>.2, routed by
//                        inet), and the router drops whatever arrives unsolicited
//     Every router counts what arrives on wan that conntrack has never seen (ctstate NEW) in
//     rules commented "unsolicited": unsolicited().
//   - impair(): loss and delay of every datagram that crosses inet, in user space
//     (fixtures/impair.ts on a TUN device that inet routes everything through), since the
//     kernel this was written on has no netem (CONFIG_NET_SCH_NETEM is not set, no modules).
//     Each datagram crosses inet once, so it meets the impairment once.
//
// Every namespace is named `dhtnet-<pid>-<n>-<name>`, so parallel runs never collide and the
// namespaces of a run whose process is gone are removed by the next run. The addresses exist
// only inside these namespaces; nothing is routed to or from the machine's own network.
import { spawnSync } from 'node:child_process'
import { LineProcess, IMPAIR_PROCESS, NodeProcess } from './process.js'
import type { ImpairCounters, Impairment } from './fixtures/impair.js'
import type { NodeConfig } from './protocol.js'
import { sh, succeeds } from './sh.js'

const PREFIX = 'dhtnet'
const STALE = new RegExp(`^${PREFIX}-(\\d+)-`)
const UNSOLICITED = 'unsolicited'

export type RouterKind = 'masquerade' | 'random' | 'firewall' | 'routed-firewall'

/** A namespace with one address, where node processes run. */
export interface Host {
  name: string
  ns: string
  address: string
}

export interface Router {
  kind: RouterKind
  ns: string
  /** The router's public address: where the internet sees the LAN host (unless routed-firewall). */
  wan: string
  /** The host behind the router. */
  lan: Host
}

// Opens /dev/net/tun, attaches the TUN device named by the first argument (TUNSETIFF =
// _IOW('T', 202, int); IFF_TUN | IFF_NO_PI: bare IP packets) and execs the rest of the
// arguments with the descriptor kept open ($^F) and appended as the last argument.
const OPEN_TUN = [
  '$^F = 255;',
  'open(my $tun, "+<", "/dev/net/tun") or die "open /dev/net/tun: $!\\n";',
  'my $ifreq = pack("a16 s x22", shift @ARGV, 0x0001 | 0x1000);',
  'ioctl($tun, 0x400454ca, $ifreq) or die "TUNSETIFF: $!\\n";',
  'exec(@ARGV, fileno($tun)) or die "exec $ARGV[0]: $!\\n";'
].join(' ')
const TUN = 'imp0'

let topologies = 0

export class Topology {
  readonly prefix: string
  readonly inet: string
  private readonly namespaces: string[] = []
  private readonly processes: LineProcess[] = []
  private impairer: LineProcess | null = null
  private destroyed = false
  private readonly onexit = (): void => this.destroySync()

  private constructor () {
    this.prefix = `${PREFIX}-${process.pid}-${topologies++}-`
    this.inet = this.prefix + 'inet'
  }

  /** Removes what dead runs left behind, then creates the internet namespace. */
  static async create (): Promise<Topology> {
    await removeStale()
    const topology = new Topology()
    process.once('exit', topology.onexit)
    await topology.addNamespace('inet')
    await sysctl(topology.inet, {
      'net/ipv4/ip_forward': 1,
      'net/ipv4/conf/all/rp_filter': 0,
      'net/ipv4/conf/default/rp_filter': 0
    })
    return topology
  }

  /** A namespace with a public address, 172.16.<index>.2. */
  async addPublicHost (name: string, index: number): Promise<Host> {
    const ns = await this.addNamespace(name)
    const address = await this.attach(ns, 'eth0', index)
    return { name, ns, address }
  }

  /** A router at 172.16.<index>.2 and the host behind it (see the file comment for `kind`). */
  async addRouter (name: string, index: number, kind: RouterKind): Promise<Router> {
    const ns = await this.addNamespace(`r-${name}`)
    const lanNs = await this.addNamespace(name)
    const wan = await this.attach(ns, 'wan', index)
    const routed = kind === 'routed-firewall'
    const subnet = routed ? `172.20.${index}` : `10.${index}.0`
    await ip(['-n', ns, 'link', 'add', 'lan', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', lanNs])
    await ip(['-n', ns, 'addr', 'add', `${subnet}.1/24`, 'dev', 'lan'])
    await ip(['-n', ns, 'link', 'set', 'lan', 'up'])
    await ip(['-n', lanNs, 'addr', 'add', `${subnet}.2/24`, 'dev', 'eth0'])
    await ip(['-n', lanNs, 'link', 'set', 'eth0', 'up'])
    await ip(['-n', lanNs, 'route', 'add', 'default', 'via', `${subnet}.1`])
    if (routed) await ip(['-n', this.inet, 'route', 'add', `${subnet}.0/24`, 'via', wan])
    await sysctl(ns, { 'net/ipv4/ip_forward': 1 })

    const rules: string[][] = []
    for (const chain of ['INPUT', 'FORWARD']) {
      rules.push(['-A', chain, '-i', 'wan', '-m', 'conntrack', '--ctstate', 'NEW', '-m', 'comment', '--comment', UNSOLICITED])
    }
    if (!routed) rules.push(['-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan', '-j', 'MASQUERADE', ...(kind === 'random' ? ['--random-fully'] : [])])
    if (kind === 'firewall' || routed) {
      for (const chain of ['INPUT', 'FORWARD']) {
        rules.push(['-A', chain, '-i', 'wan', '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT'])
        rules.push(['-A', chain, '-i', 'wan', '-j', 'DROP'])
      }
    }
    for (const rule of rules) await sh('ip', ['netns', 'exec', ns, 'iptables', '-w', ...rule])
    return { kind, ns, wan, lan: { name, ns: lanNs, address: `${subnet}.2` } }
  }

  /** How many datagrams arrived on the router's wan side that conntrack had never seen. */
  async unsolicited (router: Router): Promise<number> {
    let packets = 0
    for (const chain of ['INPUT', 'FORWARD']) {
      const { stdout } = await sh('ip', ['netns', 'exec', router.ns, 'iptables', '-w', '-L', chain, '-n', '-v', '-x'])
      for (const line of stdout.split('\n')) {
        if (line.includes(`/* ${UNSOLICITED} */`)) packets += Number(line.trim().split(/\s+/)[0])
      }
    }
    return packets
  }

  /**
   * Starts a node process per spec, each in its host's namespace, waits until every process
   * has loaded, then creates all the nodes at once; resolves once they are bound. Loading is
   * CPU-bound and bootstrapping is not: this way the nodes bootstrap on an idle machine.
   */
  async startNodes (specs: ReadonlyArray<{ name: string, host: Host, config: NodeConfig }>): Promise<NodeProcess[]> {
    if (this.destroyed) throw new Error('topology destroyed')
    const nodes = specs.map(({ name, host, config }) => {
      const node = new NodeProcess(name, host.ns, host.address, config)
      this.processes.push(node)
      return node
    })
    await Promise.all(nodes.map((node) => node.loaded()))
    return Promise.all(nodes.map((node) => node.start()))
  }

  /**
   * From now on, every datagram that crosses the internet is lost with probability `loss`,
   * else delayed by `delayMs` ± `jitterMs`. Resolves with the counters so far.
   */
  async impair (impairment: Impairment): Promise<ImpairCounters> {
    const impairer = this.impairer ?? await this.startImpairer()
    const line = await impairer.send({ ...impairment }, 10_000)
    return { seen: Number(line['seen']), dropped: Number(line['dropped']), maxLateMs: Number(line['maxLateMs']) }
  }

  /** Stops every process, then deletes every namespace. Safe to call twice. */
  async destroy (): Promise<void> {
    if (this.destroyed) return
    this.destroyed = true
    process.removeListener('exit', this.onexit)
    await Promise.all(this.processes.map((p) => p.stop()))
    const errors: unknown[] = []
    for (const ns of [...this.namespaces].reverse()) {
      try {
        await removeNamespace(ns)
      } catch (err) {
        errors.push(err)
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'could not remove every namespace')
  }

  private async startImpairer (): Promise<LineProcess> {
    // at a higher priority (nice -10): it stands in for the kernel's netem, which a busy machine
    // does not starve; the nodes keep the usual priority
    const impairer = new LineProcess('impairment', this.inet, ['nice', '-n', '-10', 'perl', '-e', OPEN_TUN, TUN, process.execPath, IMPAIR_PROCESS])
    this.processes.push(impairer)
    await impairer.started()
    await sysctl(this.inet, { [`net/ipv4/conf/${TUN}/rp_filter`]: 0 })
    await ip(['-n', this.inet, 'link', 'set', TUN, 'up'])
    await ip(['-n', this.inet, 'route', 'add', 'default', 'dev', TUN, 'table', '100'])
    // what comes back out of the TUN device is routed as usual; everything else goes into it
    await ip(['-n', this.inet, 'rule', 'add', 'iif', TUN, 'lookup', 'main', 'pref', '100'])
    await ip(['-n', this.inet, 'rule', 'add', 'lookup', '100', 'pref', '200'])
    this.impairer = impairer
    return impairer
  }

  private async addNamespace (name: string): Promise<string> {
    const ns = this.prefix + name
    if (this.destroyed) throw new Error('topology destroyed')
    await ip(['netns', 'add', ns])
    if (this.destroyed) { // destroy() ran meanwhile (a sibling step failed): it did not see this one
      await removeNamespace(ns)
      throw new Error('topology destroyed')
    }
    this.namespaces.push(ns)
    await ip(['-n', ns, 'link', 'set', 'lo', 'up'])
    return ns
  }

  /** Links `ns` to inet as 172.16.<index>.2 (its interface `dev`), with inet as its default route. */
  private async attach (ns: string, dev: string, index: number): Promise<string> {
    if (!Number.isInteger(index) || index < 1 || index > 254) throw new RangeError(`link index must be 1 to 254, got ${index}`)
    const peer = `l${index}`
    const address = `172.16.${index}.2`
    await ip(['-n', ns, 'link', 'add', dev, 'type', 'veth', 'peer', 'name', peer, 'netns', this.inet])
    await ip(['-n', this.inet, 'addr', 'add', `172.16.${index}.1/24`, 'dev', peer])
    await ip(['-n', this.inet, 'link', 'set', peer, 'up'])
    await ip(['-n', ns, 'addr', 'add', `${address}/24`, 'dev', dev])
    await ip(['-n', ns, 'link', 'set', dev, 'up'])
    await ip(['-n', ns, 'route', 'add', 'default', 'via', `172.16.${index}.1`])
    return address
  }

  /** The last resort when the process exits without destroy(): kill and delete synchronously. */
  private destroySync (): void {
    if (this.destroyed) return
    this.destroyed = true
    for (const p of this.processes) p.kill()
    for (const ns of [...this.namespaces].reverse()) spawnSync('ip', ['netns', 'del', ns])
  }
}

async function ip (args: readonly string[]): Promise<void> {
  await sh('ip', args)
}

async function sysctl (ns: string, values: Record<string, number>): Promise<void> {
  const script = Object.entries(values).map(([key, value]) => `echo ${value} > /proc/sys/${key}`).join(' && ')
  await sh('ip', ['netns', 'exec', ns, 'sh', '-c', script])
}

/** Kills what still runs in namespace `ns` (only processes this suite started run there) and deletes it. */
async function removeNamespace (ns: string): Promise<void> {
  const pids = await sh('ip', ['netns', 'pids', ns]).then(({ stdout }) => stdout.split(/\s+/).filter((s) => s !== '').map(Number), () => [])
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {}
  }
  if (!(await succeeds('ip', ['netns', 'del', ns]))) {
    const { stdout } = await sh('ip', ['netns', 'list'])
    if (stdout.split('\n').some((line) => line.split(' ')[0] === ns)) throw new Error(`could not delete namespace ${ns}`)
  }
}

/** Deletes the namespaces of earlier runs whose process is gone. */
async function removeStale (): Promise<void> {
  const { stdout } = await sh('ip', ['netns', 'list'])
  for (const line of stdout.split('\n')) {
    const ns = line.split(' ')[0] ?? ''
    const match = STALE.exec(ns)
    if (match === null) continue
    const pid = Number(match[1])
    if (pid === process.pid || alive(pid)) continue
    await removeNamespace(ns).catch(() => {}) // another run may be removing it too
  }
}

function alive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
