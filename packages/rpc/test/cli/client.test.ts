import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import dgram from 'node:dgram'
import { once } from 'node:events'
import type { DHT } from '@dht/rpc'
import { createTestnet } from '@dht/rpc/testnet'
import type { Testnet } from '@dht/rpc/testnet'
import { sha256 } from '../helpers.js'
import { dhtRpc, lines } from './helpers.js'

// ping, query, put and get against a network in the test process whose nodes serve the
// README's 'values' command (written here again, independently of the CLI's own)
describe('ping, query, put and get against a testnet', () => {
  let testnet: Testnet
  let bootstrap: string
  const stores = new Map<DHT, Map<string, Buffer>>()

  before(async () => {
    testnet = await createTestnet(20)
    bootstrap = `127.0.0.1:${testnet.bootstrap[0]!.port}`
    for (const node of testnet.nodes.slice(1)) {
      const store = new Map<string, Buffer>()
      stores.set(node, store)
      node.on('request', (req) => {
        if (req.command === 'echo') return req.reply(req.value)
        if (req.command === 'refuse') return req.error(7)
        if (req.command !== 'values') return
        if (req.commit && req.value !== null) {
          store.set(sha256(req.value).toString('hex'), Buffer.from(req.value))
          return req.reply(null)
        }
        req.reply(store.get(Buffer.from(req.target!).toString('hex')) ?? null)
      })
    }
  })

  after(() => testnet.destroy())

  const storedOn = (key: string): number => [...stores.values()].filter((store) => store.has(key)).length

  test('ping prints the round trip, the id and our address as the node sees it', async (t) => {
    const node = testnet.nodes[3]!
    const port = node.address()!.port
    const human = await dhtRpc(t, ['ping', `127.0.0.1:${port}`])
    assert.equal(human.code, 0, human.stderr)
    const id = Buffer.from(node.id!).toString('hex')
    assert.match(human.stdout, new RegExp(`^reply from 127\\.0\\.0\\.1:${port} in [\\d.]+ ms: persistent node, id ${id}; it sees us at 127\\.0\\.0\\.1:\\d+\\n$`))

    const json = await dhtRpc(t, ['ping', `localhost:${port}`, '--json'])
    assert.equal(json.code, 0, json.stderr)
    const reply = JSON.parse(json.stdout) as { host: string, port: number, ms: number, id: string | null, to: { host: string, port: number } }
    assert.deepEqual({ host: reply.host, port: reply.port, id: reply.id }, { host: '127.0.0.1', port, id })
    assert.equal(reply.to.host, '127.0.0.1')
    assert.ok(reply.ms >= 0)

    const ephemeral = JSON.parse((await dhtRpc(t, ['ping', bootstrap, '--json'])).stdout) as { id: string | null }
    assert.equal(ephemeral.id, null, 'the bootstrap node is ephemeral')
  })

  test('put stores a value on the closest nodes; get finds it; both with --json', async (t) => {
    const key = sha256(Buffer.from('put from the cli')).toString('hex')
    const put = await dhtRpc(t, ['put', 'put from the cli', '--bootstrap', bootstrap])
    assert.equal(put.code, 0, put.stderr)
    assert.match(put.stdout, new RegExp(`^key ${key}\\nstored on 20 of the 20 closest nodes \\(asked \\d+, \\d+ answered\\) in [\\d.]+ m?s\\n$`))
    assert.equal(storedOn(key), 20)

    const get = await dhtRpc(t, ['get', key, '--bootstrap', bootstrap])
    assert.equal(get.code, 0, get.stderr)
    assert.match(get.stdout, /^value "put from the cli"\nfound at 127\.0\.0\.1:\d+ after asking \d+ nodes? \(\d+ answered\) in [\d.]+ m?s\n$/)

    const value = 'über json ✓'
    const jsonKey = sha256(Buffer.from(value)).toString('hex')
    const putJson = await dhtRpc(t, ['put', value, '--bootstrap', bootstrap, '--json'])
    assert.equal(putJson.code, 0, putJson.stderr)
    const stored = JSON.parse(putJson.stdout) as { key: string, committed: number, stored: number, asked: number, replies: number, ms: number }
    assert.equal(stored.key, jsonKey)
    assert.equal(stored.stored, storedOn(jsonKey))
    assert.equal(stored.committed, 20)

    const getJson = await dhtRpc(t, ['get', jsonKey, '--bootstrap', bootstrap, '--json'])
    assert.equal(getJson.code, 0, getJson.stderr)
    const found = JSON.parse(getJson.stdout) as { key: string, found: boolean, value: string, valueHex: string, from: { host: string, port: number }, asked: number, replies: number }
    assert.deepEqual({ key: found.key, found: found.found, value: found.value }, { key: jsonKey, found: true, value })
    assert.equal(found.valueHex, Buffer.from(value).toString('hex'))
    const holder = testnet.nodes.find((node) => node.address()!.port === found.from.port)!
    assert.ok(stores.get(holder)!.has(jsonKey), 'the reply came from a node that stores it')
  })

  test('get of a key nobody has exits 1 with one line on stderr (and found: false in --json)', async (t) => {
    const missing = '0'.repeat(64)
    const human = await dhtRpc(t, ['get', missing, '--bootstrap', bootstrap])
    assert.equal(human.code, 1)
    assert.equal(human.stdout, '')
    assert.equal(lines(human.stderr).length, 1)
    assert.match(human.stderr, /^dht-rpc get: not found: no node has 0{64} \(asked \d+\)\n$/)
    const json = await dhtRpc(t, ['get', missing, '--bootstrap', bootstrap, '--json'])
    assert.equal(json.code, 1)
    const result = JSON.parse(json.stdout) as { found: boolean, value: string | null, from: unknown }
    assert.deepEqual([result.found, result.value, result.from], [false, null, null])
  })

  test('query prints each reply as it streams in, with its value; --json gathers them', async (t) => {
    const target = sha256(Buffer.from('anywhere')).toString('hex')
    const human = await dhtRpc(t, ['query', target, '--command', 'echo', '--value', 'hi there', '--bootstrap', bootstrap])
    assert.equal(human.code, 0, human.stderr)
    const out = lines(human.stdout)
    assert.equal(out[0], `query echo ${target}`)
    const replies = out.slice(1, -1)
    assert.ok(replies.length >= 20, human.stdout)
    for (const line of replies) assert.match(line, /^127\.0\.0\.1:\d+ +id [0-9a-f]{8}… {2}\d+ closer nodes? {2}value "hi there"$/)
    assert.match(out.at(-1)!, new RegExp(`^${replies.length} replies from \\d+ nodes asked in [\\d.]+ m?s; closest: 127\\.0\\.0\\.1:\\d+`))

    const json = await dhtRpc(t, ['query', target, '--bootstrap', bootstrap, '--json'])
    assert.equal(json.code, 0, json.stderr)
    const result = JSON.parse(json.stdout) as {
      target: string
      command: string
      asked: number
      replies: Array<{ from: { host: string, port: number }, id: string | null, value: string | null, closerNodes: unknown[] }>
      closest: Array<{ host: string, port: number, id: string }>
    }
    assert.equal(result.target, target)
    assert.equal(result.command, 'find_node')
    assert.ok(result.replies.length >= 20 && result.asked >= result.replies.length)
    assert.ok(result.replies.every((r) => r.value === null && r.from.host === '127.0.0.1'))
    assert.equal(result.closest.length, 20)
    const ids = testnet.nodes.slice(1).map((node) => Buffer.from(node.id!).toString('hex'))
    assert.ok(result.closest.every((n) => ids.includes(n.id)))
  })

  test('query that no node answers with status 0: exit 1 and a line that says so, not an empty list', async (t) => {
    const target = sha256(Buffer.from('nobody says yes')).toString('hex')
    const human = await dhtRpc(t, ['query', target, '--command', 'refuse', '--bootstrap', bootstrap])
    assert.equal(human.code, 1, human.stderr)
    assert.equal(human.stdout, `query refuse ${target}\n`)
    assert.match(human.stderr, /^dht-rpc query: no node answered refuse \(asked \d+ nodes in [\d.]+ m?s\)\n$/)

    const json = await dhtRpc(t, ['query', target, '--command', 'refuse', '--bootstrap', bootstrap, '--json'])
    assert.equal(json.code, 1, json.stderr)
    const result = JSON.parse(json.stdout) as { asked: number, replies: unknown[], closest: unknown[] }
    assert.deepEqual([result.replies, result.closest], [[], []])
    assert.ok(result.asked >= 20)
  })

  test('a bootstrap node that never answers: exit 1, the warning and the failure on stderr', async (t) => {
    const silent = dgram.createSocket('udp4')
    silent.bind(0, '127.0.0.1')
    await once(silent, 'listening')
    t.after(() => silent.close())
    const address = `127.0.0.1:${silent.address().port}`
    const { code, stdout, stderr } = await dhtRpc(t, ['get', '1'.repeat(64), '--bootstrap', address])
    assert.equal(code, 1)
    assert.equal(stdout, '')
    const [warning, failure, ...rest] = lines(stderr)
    assert.match(warning ?? '', new RegExp(`^dht-rpc get: warning: .*${address.replaceAll('.', '\\.')}`))
    assert.equal(failure, `dht-rpc get: no DHT node answered through ${address}`)
    assert.deepEqual(rest, [])
  })

  test('a bootstrap name that does not resolve: the DNS error as a warning', async (t) => {
    const { code, stderr } = await dhtRpc(t, ['query', '1'.repeat(64), '--bootstrap', 'nowhere.invalid:10001'])
    assert.equal(code, 1)
    assert.match(stderr, /^dht-rpc query: warning: .*nowhere\.invalid/m)
    assert.match(lines(stderr).at(-1)!, /^dht-rpc query: no DHT node answered through nowhere\.invalid:10001$/)
  })
})
