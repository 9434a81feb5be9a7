/**
 * What a package's documents send a user to must be in its tarball: every relative link
 * in a shipped Markdown file (README.md, CLI.md, …) that stays inside the package, and
 * every script they tell a user to run with `node <path>`. A link that leaves the package
 * (`../../README.md`) points into the repository, not the tarball, and is not checked.
 */

import { readFileSync } from 'node:fs'
import { join, posix } from 'node:path'
import { fail, pass } from './report.js'
import type { CheckResult } from './report.js'

/** The files a Markdown document refers to, as written. */
export interface DocReferences {
  /** Targets of `[text](target)` links that are not URLs or anchors, without `#…`. */
  readonly links: string[]
  /** Paths after `node` (and its options): `node examples/nodes.mjs 127.0.0.1:10001`. */
  readonly runs: string[]
}

// [text](target) or [text](target "title"); an image's ![alt](src) as well.
const LINK = /\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g
// `node` then any options, then a script path (a relative one: a name with a / in it).
const NODE_RUN = /(?:^|[\s`$(])node((?:\s+-[^\s`]+)*)\s+(\.{0,2}\/?[\w@-][\w@./-]*\/[\w@.-]+\.(?:mjs|cjs|js))\b/g

export function docReferences (markdown: string): DocReferences {
  const links = [...markdown.matchAll(LINK)]
    .map((m) => m[1] ?? '')
    .filter((target) => target !== '' && !target.startsWith('#') && !/^[a-z][a-z\d+.-]*:/i.test(target))
    .map((target) => decodeURI(target.replace(/[#?].*$/, '')))
  const runs = [...markdown.matchAll(NODE_RUN)].map((m) => m[2] ?? '')
  return { links, runs }
}

/**
 * Checks the Markdown files among `shipped` (tarball paths, as `pnpm pack --json` lists
 * them) in the package folder `dir`.
 */
export function docsCheck (name: string, dir: string, shipped: readonly string[]): CheckResult {
  const files = new Set(shipped)
  const missing: string[] = []
  for (const doc of shipped.filter((path) => path.endsWith('.md'))) {
    const { links, runs } = docReferences(readFileSync(join(dir, doc), 'utf8'))
    const from = posix.dirname(doc)
    for (const link of links) {
      const target = posix.normalize(posix.join(from, link)).replace(/\/$/, '')
      if (target.startsWith('../')) continue // outside the package
      if (!isShipped(target, files)) missing.push(`${doc} links to ${link}, which is not in the tarball`)
    }
    // a script is run from the package folder, wherever the document that says so is
    for (const script of runs) {
      const target = posix.normalize(script)
      if (target.startsWith('../')) continue
      if (!isShipped(target, files)) missing.push(`${doc} runs node ${script}, which is not in the tarball`)
    }
  }
  return missing.length === 0 ? pass(name, 'docs') : fail(name, 'docs', [...new Set(missing), 'add them to "files" in package.json'])
}

// A file, or a folder with a file in it (a link to examples/ is fine if examples/ ships).
function isShipped (target: string, files: ReadonlySet<string>): boolean {
  if (target === '.' || files.has(target)) return true
  for (const file of files) if (file.startsWith(`${target}/`)) return true
  return false
}
