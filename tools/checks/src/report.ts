/**
 * The result of one check on one package, and how it is printed: one line each,
 * with the reasons for a failure indented below it.
 */

export interface CheckResult {
  /** `@dht/wire`, or `all` for a check over every package at once. */
  readonly pkg: string
  /** `publint`, `attw`, `import`, `types`, … */
  readonly check: string
  readonly ok: boolean
  /** Why it failed, or notes worth reading when it passed. */
  readonly details: readonly string[]
}

export function pass (pkg: string, check: string, details: readonly string[] = []): CheckResult {
  return { pkg, check, ok: true, details }
}

export function fail (pkg: string, check: string, details: readonly string[]): CheckResult {
  return { pkg, check, ok: false, details }
}

export function formatResult (result: CheckResult): string {
  const head = `${result.ok ? 'ok  ' : 'FAIL'}  ${result.pkg.padEnd(11)} ${result.check}`
  return [head, ...result.details.map((line) => `        ${line}`)].join('\n')
}
