// dht-rpc demo: a whole DHT on loopback in this process (a bootstrap node and N persistent
// nodes), then a value stored from one node and found from another, told step by step.
import { performance } from 'node:perf_hooks'
import { createTestnet } from '../testnet.js'
import type { DHT } from '../dht.js'
import { expectPositionals, parseCommandLine, parseCount } from './args.js'
import type { Command } from './command.js'
import { address, duration, hex, jsonValue, plural, print, printJson, roundMs, showValue } from './output.js'
import { Progress } from './tty.js'
import { getValue, putValue, serveValues } from './values.js'

const DEFAULT_NODES = 100
const MAX_NODES = 1000 // a socket each: well under the usual limit of open files
const PARALLEL = 8 // nodes joining at once, as createTestnet does
const LOOPBACK = '127.0.0.1'
const DEFAULT_VALUE = 'hello from dht-rpc'

export const demo: Command = {
  name: 'demo',
  summary: 'run a whole DHT on this machine, store a value and find it again',
  help: `Usage: dht-rpc demo [--nodes N] [--value text] [--json]

Starts a bootstrap node and N persistent nodes on 127.0.0.1 in this process, each serving
the key-value store of the dht-rpc README ('values' command). Then one node stores a value
(a lookup of sha256(value) and a commit to the closest nodes) and another node finds it
(a lookup that stops at the first reply carrying it). Prints what each step did: nodes
asked, replies, nodes that stored the value, time taken. Then it destroys every node and
exits: 0 when the value was found, 1 when not.

Options:
  --nodes N       persistent nodes, 2 to ${MAX_NODES} (default ${DEFAULT_NODES})
  --value text    the value to store (default "${DEFAULT_VALUE}")
  --json          print only a summary, as one JSON document, at the end
  -h, --help      show this help

Example:
  dht-rpc demo --nodes 30`,

  async run (argv, session) {
    const { values, positionals } = parseCommandLine({
      args: argv,
      options: { nodes: { type: 'string' }, value: { type: 'string', default: DEFAULT_VALUE }, json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true
    })
    expectPositionals(positionals, [])
    const size = values.nodes !== undefined ? parseCount(values.nodes, '--nodes', 2, MAX_NODES) : DEFAULT_NODES
    const value = Buffer.from(values.value)
    const json = values.json === true
    const say = json ? (): void => {} : print
    const begin = performance.now()

    say(`dht-rpc demo: a bootstrap node and ${size} nodes on ${LOOPBACK}, all in this process`)
    say()
    say('1. Starting the network')
    let start = performance.now()
    const testnet = await createTestnet(0, { host: LOOPBACK })
    session.defer(() => testnet.destroy())
    const bootstrap = address(testnet.bootstrap[0]!)
    say(`   bootstrap node on ${bootstrap}`)
    const progress = json ? null : new Progress('   joining', size)
    let joined = 0
    await inParallel(size, PARALLEL, async () => {
      serveValues(await testnet.createNode())
      progress?.update(++joined, duration(performance.now() - start))
    })
    const joinMs = performance.now() - start
    const nodes = testnet.nodes.slice(1)
    const table = tableSizes(nodes)
    say(`   ${size} nodes joined in ${duration(joinMs)}; each knows ${table.min} to ${table.max} others (mean ${table.mean})`)
    say()

    const writer = nodes[0]!
    const reader = nodes[nodes.length - 1]!
    const writerAt = address(writer.address()!)
    const readerAt = address(reader.address()!)
    say(`2. Storing ${showValue(value)} from node ${writerAt}`)
    const put = await putValue(writer, value)
    say(`   key ${hex(put.key)} (sha256 of the value)`)
    say(`   asked ${plural(put.asked, 'node')}, ${put.replies} answered; committed to the ${put.committed} closest`)
    say(`   ${plural(put.stored, 'node')} stored it, in ${duration(put.ms)}`)
    say()

    say(`3. Finding it from node ${readerAt}`)
    const got = await getValue(reader, put.key)
    say(`   asked ${plural(got.asked, 'node')}, ${got.replies} answered` + (got.holder !== null ? `; ${address(got.holder)} had it` : ''))
    say(got.value !== null ? `   found ${showValue(got.value)} in ${duration(got.ms)}` : `   not found, after ${duration(got.ms)}`)
    say()

    start = performance.now()
    await testnet.destroy()
    const destroyMs = performance.now() - start
    say(`4. Stopping: ${plural(testnet.nodes.length, 'node')} destroyed in ${duration(destroyMs)}`)
    const totalMs = performance.now() - begin
    const found = got.value !== null // a value that hashes to the key: the one stored
    say()
    say(`done in ${duration(totalMs)}: ${found ? 'the value was found' : 'the value was NOT found'}`)

    if (json) {
      printJson({
        nodes: size,
        bootstrap,
        join: { ms: roundMs(joinMs), table },
        put: { from: writerAt, key: hex(put.key), ...jsonValue(value), asked: put.asked, replies: put.replies, committed: put.committed, stored: put.stored, ms: roundMs(put.ms) },
        get: { from: readerAt, found, holder: got.holder, asked: got.asked, replies: got.replies, ms: roundMs(got.ms) },
        destroy: { ms: roundMs(destroyMs) },
        ms: roundMs(totalMs)
      })
    }
    return found ? 0 : 1
  }
}

// runs `task` `count` times, `parallel` at once
async function inParallel (count: number, parallel: number, task: () => Promise<void>): Promise<void> {
  let started = 0
  const worker = async (): Promise<void> => {
    while (started < count) {
      started++
      await task()
    }
  }
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker))
}

function tableSizes (nodes: readonly DHT[]): { min: number, max: number, mean: number } {
  const sizes = nodes.map((node) => node.table.size)
  const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length
  return { min: Math.min(...sizes), max: Math.max(...sizes), mean: Math.round(mean) }
}
