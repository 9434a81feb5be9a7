/**
 * `node tools/bench/dist/src/table/main.js`: the routing table alone, the two calls a node makes
 * most: closest(random target, 20) (every find_node reply and every lookup) and get(id) (every
 * message, from a known node or not). Each table is filled as a network of the given size would
 * fill a node's buckets. With `--tables T`, every call goes to one of T such tables picked at
 * random, the way thousands of nodes of a simulation share one CPU cache. Prints calls per second
 * (the median of the rounds) and the heap each table takes.
 *
 *   --networks 1000,100000   network sizes the tables are filled for
 *   --tables 1,1000          how many tables share the process
 *   --calls 200000           calls per round (each kind), --rounds 5
 *   --table PATH             the @dht/table module to measure (default: the workspace's), to
 *                            compare two builds in turn
 *   --quick                  small figures, for the smoke test
 */

import { pathToFileURL } from 'node:url'
import { median } from '../stats.js'
import { fill, randomIds, seeded } from './fill.js'
import type { TableModule } from './fill.js'

interface Options {
  networks: number[]
  tables: number[]
  calls: number
  rounds: number
  table: string | null
}

function parse (argv: readonly string[]): Options {
  const quick = argv.includes('--quick')
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name)
    return i === -1 ? undefined : argv[i + 1]
  }
  const list = (name: string, fallback: number[]): number[] => value(name)?.split(',').map(Number) ?? fallback
  return {
    networks: list('--networks', quick ? [1000] : [1000, 100_000]),
    tables: list('--tables', quick ? [1, 10] : [1, 1000]),
    calls: Number(value('--calls') ?? (quick ? 2000 : 200_000)),
    rounds: Number(value('--rounds') ?? (quick ? 1 : 5)),
    table: value('--table') ?? null
  }
}

// Queries are drawn before the clock starts, so the rounds time the table and nothing else.
const QUERIES = 4096

interface Scenario {
  network: number
  tables: number
  entries: number
  heapPerTable: number | null
  rates: { closest: number, getKnown: number, getUnknown: number }
}

function rate (calls: number, rounds: number, run: (calls: number) => number): number {
  const rates: number[] = []
  run(Math.min(calls, 10_000)) // warm up: let the call sites reach their optimized code
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint()
    sink ^= run(calls)
    rates.push(calls / (Number(process.hrtime.bigint() - start) / 1e9))
  }
  return median(rates)!
}

// what the timed loops compute goes here, so no call can be optimized away
let sink = 0

function heapUsed (): number | null {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc === undefined) return null
  gc()
  return process.memoryUsage().heapUsed
}

async function scenario (mod: TableModule, network: number, count: number, options: Options): Promise<Scenario> {
  const rand = seeded(network * 7919 + count)
  const before = heapUsed()
  const tables = Array.from({ length: count }, () => fill(mod, network, rand))
  const after = heapUsed()
  const which = Array.from({ length: QUERIES }, () => Math.floor(rand() * count))
  const targets = randomIds(QUERIES, rand)
  const unknown = randomIds(QUERIES, rand)
  const known = which.map((t) => {
    const entries = tables[t]!.toArray()
    return entries[Math.floor(rand() * entries.length)]!.id
  })
  const mask = QUERIES - 1
  return {
    network,
    tables: count,
    entries: tables.reduce((sum, t) => sum + t.size, 0) / count,
    heapPerTable: before === null || after === null ? null : (after - before) / count,
    rates: {
      closest: rate(options.calls, options.rounds, (calls) => {
        let x = 0
        for (let i = 0; i < calls; i++) x += tables[which[i & mask]!]!.closest(targets[i & mask]!, 20).length
        return x
      }),
      getKnown: rate(options.calls, options.rounds, (calls) => {
        let x = 0
        for (let i = 0; i < calls; i++) x += tables[which[i & mask]!]!.get(known[i & mask]!) === null ? 0 : 1
        return x
      }),
      getUnknown: rate(options.calls, options.rounds, (calls) => {
        let x = 0
        for (let i = 0; i < calls; i++) x += tables[which[i & mask]!]!.get(unknown[i & mask]!) === null ? 0 : 1
        return x
      })
    }
  }
}

const options = parse(process.argv.slice(2))
const mod = (await import(options.table === null ? '@dht/table' : pathToFileURL(options.table).href)) as TableModule
const header = ['network', 'tables', 'entries each', 'heap each', 'closest(target, 20)/s', 'get(known)/s', 'get(unknown)/s']
const rows: string[][] = []
for (const network of options.networks) {
  for (const count of options.tables) {
    const s = await scenario(mod, network, count, options)
    rows.push([
      String(s.network), String(s.tables), s.entries.toFixed(1),
      s.heapPerTable === null ? 'n/a (no --expose-gc)' : `${(s.heapPerTable / 1024).toFixed(1)} KiB`,
      ...[s.rates.closest, s.rates.getKnown, s.rates.getUnknown].map((r) => Math.round(r).toLocaleString('en'))
    ])
  }
}
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
const line = (cells: readonly string[]): string => cells.map((c, i) => c.padStart(widths[i]!)).join('  ')
console.log([`@dht/table, ${options.table ?? 'workspace build'}, ${options.calls} calls x ${options.rounds} rounds (median)`, line(header), ...rows.map(line)].join('\n'))
if (sink === 0.5) console.log('') // never true: reads the sink
