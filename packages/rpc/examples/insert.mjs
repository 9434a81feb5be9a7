// Step 3 of the dht-rpc README's key-value store: insert a value, printing its key.
// Run: node examples/insert.mjs <value> [bootstrap host:port]
//      (or DHT_BOOTSTRAP=host:port; default localhost:10001)
import crypto from 'node:crypto'
import DHT from '@dht/rpc'

const val = Buffer.from(process.argv[2] ?? 'hello world')
const bootstrap = process.argv[3] ?? process.env.DHT_BOOTSTRAP ?? 'localhost:10001'

const node = new DHT({ bootstrap: [bootstrap] })

await node.query(sha256(val), 'values', val, { commit: true }).finished()
console.log('Inserted', sha256(val).toString('hex'))
console.log(`next: node examples/find.mjs ${sha256(val).toString('hex')} ${bootstrap}`)

await node.destroy()

function sha256 (val) {
  return crypto.createHash('sha256').update(val).digest()
}
