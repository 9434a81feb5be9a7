/**
 * `pnpm bench:handlers`: what a user sees of timing, @dht/rpc beside dht-rpc rc.6, on loopback:
 * a bootstrap node, 15 persistent nodes answering a command after a delay, and a client that
 * runs lookups and requests against them, past a silent node, and calls refresh(). Prints a
 * table and writes it to tools/bench/results/handlers.txt (`--out DIR` elsewhere, `--no-out`
 * nowhere). Takes about a minute.
 */

import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { oursNet, rc6Net, silentPeer } from './nets.js'
import type { TimingNet } from './nets.js'

const SIZE = 15
const QUERY_DELAYS = [100, 250, 500, 1000, 1500]
const REQUEST_DELAY = 2000
const REFRESH_WATCH_MS = 2000

type Row = [what: string, ...cells: string[]]

async function measure (net: TimingNet): Promise<string[]> {
  const cells: string[] = []
  for (const delay of QUERY_DELAYS) {
    const started = Date.now()
    const replies = await net.query(hash('query ' + delay), 'slow-' + delay).catch(() => [])
    cells.push(`${replies.length} replies, ${ms(Date.now() - started)}`)
  }
  {
    const runs = net.handlerRuns()
    const started = Date.now()
    const outcome = await net.request('slow-' + REQUEST_DELAY, net.peers[0]!).then(() => 'resolved', (err: { code?: string, message: string }) => err.code ?? err.message)
    cells.push(`${outcome} in ${ms(Date.now() - started)}, handler ran ${net.handlerRuns() - runs}x`)
  }
  {
    const silent = await silentPeer()
    const started = Date.now()
    await net.query(hash('past silent'), 'find_node', [silent.peer, ...net.peers.slice(0, 3)]).catch(() => [])
    cells.push(`${silent.received()} sends, finished in ${ms(Date.now() - started)}`)
    const before = silent.received()
    const failing = Date.now()
    const outcome = await net.request('ping', silent.peer).then(() => 'resolved', (err: { code?: string, message: string }) => err.code ?? err.message)
    cells.push(`${silent.received() - before} sends, ${outcome} after ${ms(Date.now() - failing)}`)
    silent.close()
  }
  {
    const before = net.clientRequests()
    net.refresh()
    await new Promise((resolve) => setTimeout(resolve, REFRESH_WATCH_MS))
    cells.push(`${net.clientRequests() - before} requests in ${REFRESH_WATCH_MS / 1000} s (table: ${net.tableSize()} nodes)`)
  }
  return cells
}

const rows: Row[] = [
  ...QUERY_DELAYS.map((d): Row => [`query(), handler answers after ${ms(d)}`]),
  [`request(), handler answers after ${ms(REQUEST_DELAY)}`],
  ['query() seeded with a silent node and 3 live ones'],
  ['request() to a silent node'],
  ['refresh()']
]

const args = process.argv.slice(2)
const out = args.includes('--no-out') ? null : args[args.indexOf('--out') + 1] ?? (args.includes('--out') ? null : 'tools/bench/results')
const columns: string[] = []
for (const make of [rc6Net, oursNet]) {
  const net = await make(SIZE)
  process.stderr.write(`measuring ${net.label}...\n`)
  const cells = await measure(net)
  cells.forEach((cell, i) => rows[i]!.push(cell))
  columns.push(net.label)
  await net.destroy()
}

const header = ['what (a bootstrap node, 15 persistent nodes, one ephemeral client; loopback)', ...columns]
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)))
const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()
const text = [
  `@dht timing check, ${new Date().toISOString()}`,
  `node tools/bench/dist/src/handlers/main.js; git ${gitHead()}; node ${process.version}`,
  '',
  line(header),
  ...rows.map(line)
].join('\n') + '\n'
process.stdout.write(text)
if (out !== null) {
  mkdirSync(out, { recursive: true })
  writeFileSync(join(out, 'handlers.txt'), text)
}
process.exit(0) // rc.6 leaves timers behind

function hash (s: string): Buffer {
  return createHash('sha256').update(s).digest()
}

function ms (n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${Math.round(n)} ms`
}

function gitHead (): string {
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8' }).trim()
  } catch {
    return 'unknown'
  }
}
