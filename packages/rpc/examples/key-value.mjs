// The key-value store of the dht-rpc README, in one script: a bootstrap node, 100 nodes
// that store values, one insert and one lookup. Run: node examples/key-value.mjs
import crypto from 'node:crypto'
import DHT from '@dht/rpc'

// Set ephemeral: true so other peers never add us to their routing table, simply bootstrap
const bootstrap = new DHT({ ephemeral: true })
const port = await bootstrap.bind(10001) // falls back to a random port if 10001 is taken

const nodes = []
// Let's create 100 dht nodes for our example.
for (let i = 0; i < 100; i++) nodes.push(createNode())
await Promise.all(nodes.map((node) => node.ready()))

function createNode () {
  const node = new DHT({
    ephemeral: false, // join the routing tables at once instead of after ~20 minutes
    bootstrap: [
      'localhost:' + port
    ]
  })

  const values = new Map()

  node.on('request', function (req) {
    if (req.command === 'values') {
      if (req.commit) { // if we are the closest node store the value (ie the node sent a roundtrip token)
        const key = sha256(req.value).toString('hex')
        values.set(key, req.value)
        console.log('Storing', key, '-->', req.value.toString())
        return req.reply(null)
      }

      const value = values.get(req.target.toString('hex'))
      req.reply(value)
    }
  })

  return node
}

function sha256 (val) {
  return crypto.createHash('sha256').update(val).digest()
}

// To insert a value into this dht:
const node = new DHT({ bootstrap: ['localhost:' + port] })
const val = Buffer.from('hello world')
await node.query(sha256(val), 'values', val, { commit: true }).finished()
const hexFromAbove = sha256(val).toString('hex')

// Then query for it from another node:
const reader = new DHT({ bootstrap: ['localhost:' + port] })
for await (const data of reader.query(Buffer.from(hexFromAbove, 'hex'), 'values')) {
  if (data.value && sha256(data.value).toString('hex') === hexFromAbove) {
    // We found the value! Destroy the query stream as there is no need to continue.
    console.log(val.toString(), '-->', data.value.toString())
    break
  }
}
console.log('(query finished)')

await Promise.all([bootstrap, node, reader, ...nodes].map((n) => n.destroy()))
