// Step 2 of the dht-rpc README's key-value store: nodes that store values on the 'values'
// command, under key = sha256(value).
// Run: node examples/nodes.mjs [bootstrap host:port] [count]
//      (or DHT_BOOTSTRAP=host:port DHT_NODES=count; default localhost:10001 and 100 nodes)
import crypto from 'node:crypto'
import DHT from '@dht/rpc'

const bootstrap = process.argv[2] ?? process.env.DHT_BOOTSTRAP ?? 'localhost:10001'
const count = Number(process.argv[3] ?? process.env.DHT_NODES ?? 100)

const nodes = []
for (let i = 0; i < count; i++) nodes.push(createNode())
await Promise.all(nodes.map((node) => node.ready()))
console.log(`${count} nodes ready, joined through ${bootstrap}`)

function createNode () {
  const node = new DHT({
    ephemeral: false, // join the routing tables at once instead of after ~20 minutes
    bootstrap: [bootstrap]
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

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    await Promise.all(nodes.map((node) => node.destroy()))
    console.log(`${count} nodes stopped`)
  })
}
