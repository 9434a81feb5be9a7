// Command-line options of tools/sim.

import type { SimulationOptions } from './simulate.js'

export interface CliOptions {
  sizes: number[]
  base: Omit<SimulationOptions, 'nodes' | 'log'>
  out: string | null
  /** Keep the sizes already in out/results.json that this run does not measure. */
  merge: boolean
  json: boolean
  child: boolean
}

export const USAGE = `Usage: pnpm sim [options]

Runs real @dht/rpc nodes on a simulated network (one process per size) and reports joins,
lookups (hops, requests, simulated latency, recall), routing table fill and churn recovery.

  --nodes N[,N...]     network sizes (default 1000; the full run is 1000,10000,100000)
  --lookups L          lookups measured before and after churn (default 200)
  --lookups-at-once B  lookups started together, from different nodes, in batches
                       (default 10; 1 runs them one after another)
  --churn S            share of nodes killed at once, 0 to skip (default 0.3)
  --recovery M[,M...]  simulated minutes after the kill at which dead entries are counted
                       (default 1,2,5,10,20; none to skip)
  --latency MIN-MAX    one-way latency range in ms (default 5-150)
  --loss P             datagram loss probability (default 0)
  --growth G           each join wave adds this share of the network (default 0.25)
  --min-wave W         smallest join wave (default 100)
  --max-wave W         largest join wave (default: no limit)
  --seed S             seed of the simulation (default 1)
  --workers W          threads running the nodes (default 1); with more, the network is
                       split into W partitions, one per worker thread (the simulated figures
                       then depend on W as well as on the seed); more workers than
                       cores can be faster (see tools/sim/README.md)
  --out DIR            write results.json and charts there (default tools/sim/results)
  --no-out             write nothing
  --merge              keep the other sizes already in DIR/results.json (a size measured
                       again replaces its old report)
  --json               print the JSON report instead of the table
  --quick              a smoke run: 200 nodes, 20 lookups, recovery at 1,5 minutes
  --help`

export function parseOptions (argv: readonly string[]): CliOptions {
  const o: CliOptions = {
    sizes: [1000],
    base: { lookups: 200, lookupsAtOnce: 10, churn: 0.3, recoveryMinutes: [1, 2, 5, 10, 20], latency: { min: 5, max: 150 }, loss: 0, growth: 0.25, minWave: 100, maxWave: null, seed: 1, workers: 1 },
    out: 'tools/sim/results',
    merge: false,
    json: false,
    child: false
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const value = (): string => {
      const v = argv[++i]
      if (v === undefined) throw new UsageError(`${arg} needs a value`)
      return v
    }
    switch (arg) {
      case '--nodes': o.sizes = list(value(), arg, 2); break
      case '--lookups': o.base.lookups = integer(value(), arg, 0); break
      case '--lookups-at-once': o.base.lookupsAtOnce = integer(value(), arg, 1); break
      case '--churn': o.base.churn = share(value(), arg); break
      case '--recovery': {
        const v = value()
        o.base.recoveryMinutes = v === 'none' ? [] : list(v, arg, 0)
        break
      }
      case '--latency': {
        const v = value()
        const m = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(v)
        if (m === null || Number(m[1]) > Number(m[2])) throw new UsageError(`--latency must be MIN-MAX in ms, got ${v}`)
        o.base.latency = { min: Number(m[1]), max: Number(m[2]) }
        break
      }
      case '--loss': o.base.loss = share(value(), arg); break
      case '--growth': o.base.growth = share(value(), arg); break
      case '--min-wave': o.base.minWave = integer(value(), arg, 1); break
      case '--max-wave': o.base.maxWave = integer(value(), arg, 1); break
      case '--seed': o.base.seed = integer(value(), arg, 0); break
      case '--workers': o.base.workers = integer(value(), arg, 1); break
      case '--out': o.out = value(); break
      case '--no-out': o.out = null; break
      case '--merge': o.merge = true; break
      case '--json': o.json = true; break
      case '--child': o.child = true; break
      case '--quick':
        o.sizes = [200]
        o.base.lookups = 20
        o.base.recoveryMinutes = [1, 5]
        break
      default: throw new UsageError(`unknown option ${arg}`)
    }
  }
  if (o.merge && o.out === null) throw new UsageError('--merge needs an output directory, not --no-out')
  return o
}

export class UsageError extends Error {}

function integer (v: string, name: string, min: number): number {
  const n = Number(v)
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`${name} must be an integer >= ${min}, got ${v}`)
  return n
}

function share (v: string, name: string): number {
  const n = Number(v)
  if (!(n >= 0 && n <= 1)) throw new UsageError(`${name} must be between 0 and 1, got ${v}`)
  return n
}

function list (v: string, name: string, min: number): number[] {
  const items = v.split(',').map((x) => integer(x, name, min))
  if (items.length === 0) throw new UsageError(`${name} needs at least one value`)
  return items
}
