// A whole network in one process with @dht/rpc/testnet: a bootstrap node and 30 persistent
// nodes on loopback, a command of our own, a lookup that streams the replies, then teardown.
// Run: node examples/network.mjs [size]
import { createTestnet } from '@dht/rpc/testnet'
import crypto from 'node:crypto'

const size = Number(process.argv[2] ?? 30)
const testnet = await createTestnet(size)
const [bootstrap, ...nodes] = testnet.nodes
console.log(`${nodes.length} nodes joined through 127.0.0.1:${bootstrap.address().port}`)

// every node answers 'hello' with its own address
for (const node of nodes) {
  node.on('request', (req) => {
    if (req.command === 'hello') req.reply(Buffer.from(`hello from port ${node.address().port}`))
  })
}

// a lookup streams a reply from every node it asks on the way to the target
const target = crypto.createHash('sha256').update('somewhere in the keyspace').digest()
const query = nodes[0].query(target, 'hello')
let replies = 0
for await (const reply of query) {
  replies++
  if (replies <= 3) console.log(`${reply.from.host}:${reply.from.port} says ${reply.value.toString()}`)
}
console.log(`${replies} replies; the closest node to the target is ${query.closestNodes[0].host}:${query.closestNodes[0].port}`)

await testnet.destroy()
console.log('network destroyed')
