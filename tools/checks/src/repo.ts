/**
 * Where the repository is and which packages it holds. Paths handed out are
 * repository-relative and use forward slashes, so reports read the same everywhere.
 */

import { existsSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The folder, under the repository root, that holds the published packages. */
export const PACKAGES_DIR = 'packages'

/** The nearest folder at or above `from` that holds pnpm-workspace.yaml. */
export function findRepoRoot (from: string): string {
  let dir = from
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`no pnpm-workspace.yaml in ${from} or above`)
    dir = parent
  }
}

/** The repository root, found from a module's `import.meta.url`. */
export function repoRootOf (moduleUrl: string): string {
  return findRepoRoot(dirname(fileURLToPath(moduleUrl)))
}

/** The package folders (`packages/wire`, …) that hold a package.json, sorted. */
export function packageDirs (root: string): string[] {
  const base = join(root, PACKAGES_DIR)
  if (!existsSync(base)) return []
  return readdirSync(base, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(base, entry.name, 'package.json')))
    .map((entry) => `${PACKAGES_DIR}/${entry.name}`)
    .sort()
}
