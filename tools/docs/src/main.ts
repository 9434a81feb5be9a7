/**
 * `pnpm docs:api`: the API reference of every package in packages/, from their TSDoc comments,
 * written to docs/api/ (open docs/api/index.html). Exits 1 on any TypeDoc warning or
 * error (an undocumented export, a broken link, an entry with no page) or when a README
 * names a page of docs/api/ that was not made, after writing
 * what it could, so one run shows every problem. Run after `pnpm build` (`pnpm docs:api` does).
 * Options: `--out <dir>` writes elsewhere.
 */

import { resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { repoRootOf } from '@dht/checks/repo'
import { buildDocs } from './build.js'
import { docPackages } from './entries.js'
import { missingPages } from './readme-pages.js'

const root = repoRootOf(import.meta.url)
const out = parseArgs(process.argv.slice(2)) ?? resolve(root, 'docs/api')
const started = performance.now()
const packages = docPackages(root)
const result = await buildDocs({ root, packages, out })
const stale = missingPages(root, ['README.md', ...packages.map((pkg) => `${pkg.dir}/README.md`)], out)
for (const line of stale) console.error(line)
const seconds = ((performance.now() - started) / 1000).toFixed(1)
if (result.ok && stale.length === 0) {
  console.log(`API reference of ${packages.map((pkg) => pkg.name).join(', ')} in ${out}/index.html (${seconds} s)`)
} else {
  console.error(`API reference failed: ${result.errors} errors, ${result.warnings} warnings, ${stale.length} pages named in READMEs missing (${seconds} s); every warning is an error here`)
  process.exitCode = 1
}

function parseArgs (args: readonly string[]): string | undefined {
  let out: string | undefined
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (arg === '--out' && args[i + 1] !== undefined) out = resolve(args[++i] ?? '')
    else throw new Error(`unknown argument ${arg ?? ''} (options: --out <dir>)`)
  }
  return out
}
