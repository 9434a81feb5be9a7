/**
 * The pages of the reference that READMEs send readers to ("open
 * `docs/api/modules/_dht_rpc.html`"): each must exist once the reference is built, so that
 * no README names a page TypeDoc does not make (a package renamed, TypeDoc's file names changed).
 */

import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const PAGE = /docs\/api\/([\w./-]+\.html)\b/g

/** The pages under docs/api/ that `markdown` names, as paths inside the reference's folder. */
export function namedPages (markdown: string): string[] {
  return [...new Set([...markdown.matchAll(PAGE)].map((m) => m[1] ?? ''))]
}

/** What each README (repository-relative) names that is not in `out`: `README.md names docs/api/x.html, …`. */
export function missingPages (root: string, readmes: readonly string[], out: string): string[] {
  const missing: string[] = []
  for (const readme of readmes) {
    const file = join(root, readme)
    if (!existsSync(file)) continue
    for (const page of namedPages(readFileSync(file, 'utf8'))) {
      if (!existsSync(join(out, page))) missing.push(`${readme} names docs/api/${page}, which the reference does not have`)
    }
  }
  return missing
}
