// Step 1 of the dht-rpc README's key-value store: a bootstrap node.
// Run: node examples/bootstrap.mjs [port]   (or DHT_PORT=port; default 10001, 0 for any free port)
import DHT from '@dht/rpc'

const port = Number(process.argv[2] ?? process.env.DHT_PORT ?? 10001)

// Set ephemeral: true so other peers never add us to their routing table, simply bootstrap
const bootstrap = new DHT({ ephemeral: true })
const bound = await bootstrap.bind(port) // falls back to a random port if this one is taken
console.log(`bootstrap node listening on port ${bound}`)
console.log(`next: node examples/nodes.mjs localhost:${bound}`)

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    await bootstrap.destroy()
    console.log('bootstrap node stopped')
  })
}
