// Step 4 of the dht-rpc README's key-value store: find a value by its key.
// Run: node examples/find.mjs <hex key> [bootstrap host:port]
//      (or DHT_BOOTSTRAP=host:port; default localhost:10001)
import crypto from 'node:crypto'
import DHT from '@dht/rpc'

const hexFromAbove = process.argv[2]
const bootstrap = process.argv[3] ?? process.env.DHT_BOOTSTRAP ?? 'localhost:10001'
if (!/^[0-9a-f]{64}$/i.test(hexFromAbove ?? '')) {
  console.error('usage: node examples/find.mjs <hex key, as insert.mjs printed it> [bootstrap host:port]')
  process.exit(2)
}

const node = new DHT({ bootstrap: [bootstrap] })

let found = false
for await (const data of node.query(Buffer.from(hexFromAbove, 'hex'), 'values')) {
  if (data.value && sha256(data.value).toString('hex') === hexFromAbove) {
    // We found the value! Destroy the query stream as there is no need to continue.
    console.log(hexFromAbove, '-->', data.value.toString())
    found = true
    break
  }
}
console.log('(query finished)')
if (!found) process.exitCode = 1

await node.destroy()

function sha256 (val) {
  return crypto.createHash('sha256').update(val).digest()
}
