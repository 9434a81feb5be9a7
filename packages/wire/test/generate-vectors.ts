// Writes test-vectors/v5.json from the definitions in vectors.ts. Run it after changing them:
// `pnpm --filter @dht/wire vectors` (vectors.test.ts fails while the file is stale).
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { VECTORS_FILE, buildVectors, formatVectors } from './vectors.js'

const vectors = buildVectors()
mkdirSync(dirname(VECTORS_FILE), { recursive: true })
writeFileSync(VECTORS_FILE, formatVectors(vectors))
console.log(`wrote ${vectors.length} vectors to ${VECTORS_FILE}`)
