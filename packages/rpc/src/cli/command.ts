// What every command of the dht-rpc CLI provides.
import type { Session } from './session.js'

export interface Command {
  readonly name: string
  /** One line for `dht-rpc --help`. */
  readonly summary: string
  /** The text of `dht-rpc <name> --help`. */
  readonly help: string
  /** Runs with the arguments after the command name; resolves with the exit code. */
  run (argv: string[], session: Session): Promise<number>
}
