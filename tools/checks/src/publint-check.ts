/**
 * publint on a package folder: exports, files, types and the package.json fields that
 * decide whether what we publish can be loaded. Warnings count as failures; suggestions
 * are shown but pass.
 */

import { publint } from 'publint'
import { formatMessage } from 'publint/utils'
import { fail, pass } from './report.js'
import type { CheckResult } from './report.js'

export async function publintCheck (name: string, pkgDir: string): Promise<CheckResult> {
  try {
    const { messages, pkg } = await publint({ pkgDir, pack: 'pnpm', level: 'suggestion', strict: true })
    const lines = messages.map((msg) => `${msg.type}: ${formatMessage(msg, pkg, { color: false }) ?? msg.code}`)
    const failed = messages.some((msg) => msg.type !== 'suggestion')
    return failed ? fail(name, 'publint', lines) : pass(name, 'publint', lines)
  } catch (err) {
    return fail(name, 'publint', [`publint threw: ${(err as Error).message}`])
  }
}
