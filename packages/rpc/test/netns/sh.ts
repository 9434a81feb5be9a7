// Runs the system tools the netns suite needs (ip, iptables, perl), and says why the suite
// cannot run on this machine when it cannot.
import { execFile } from 'node:child_process'
import { access, constants } from 'node:fs/promises'

export interface Output {
  stdout: string
  stderr: string
}

/** Runs `file args` and resolves with its output; rejects with the command and its stderr. */
export function sh (file: string, args: readonly string[]): Promise<Output> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { encoding: 'utf8', timeout: 20_000 }, (err, stdout, stderr) => {
      if (err !== null) {
        reject(new Error(`${file} ${args.join(' ')} failed: ${stderr.trim() || err.message}`))
        return
      }
      resolve({ stdout, stderr })
    })
  })
}

/** Like sh(), but never rejects: true when the command exited with 0. */
export async function succeeds (file: string, args: readonly string[]): Promise<boolean> {
  try {
    await sh(file, args)
    return true
  } catch {
    return false
  }
}

export type Tool = 'ip' | 'iptables' | 'perl' | 'tun'

/**
 * Why the suite cannot run here (a message for the skip), or null when it can: it needs root,
 * `ip netns`, and the other `tools` asked for.
 */
export async function unavailable (tools: readonly Tool[]): Promise<string | null> {
  const why = (reason: string): string => `needs root and ip netns: ${reason}`
  if (process.platform !== 'linux') return why(`not on Linux (${process.platform})`)
  if (process.getuid?.() !== 0) return why('not running as root')
  if (!(await succeeds('ip', ['netns', 'list']))) return why('`ip netns` is missing or does not work (install iproute2)')
  const probe = `dhtnet-${process.pid}-probe`
  if (!(await succeeds('ip', ['netns', 'add', probe]))) return why('cannot create a network namespace (no CAP_SYS_ADMIN?)')
  await succeeds('ip', ['netns', 'del', probe])
  if (tools.includes('iptables') && !(await succeeds('iptables', ['--version']))) return why('iptables is missing (apt-get install iptables)')
  if (tools.includes('perl') && !(await succeeds('perl', ['-e', '1']))) return why('perl is missing (it opens the TUN device of the impairment)')
  if (tools.includes('tun')) {
    try {
      await access('/dev/net/tun', constants.R_OK | constants.W_OK)
    } catch {
      return why('/dev/net/tun is missing')
    }
  }
  return null
}
