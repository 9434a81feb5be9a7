// Output that changes in place on a terminal: a progress bar and a redrawn status block.
// Written to a file or a pipe, both fall back to plain lines.

const BAR_WIDTH = 30
const PLAIN_STEPS = 10 // plain progress: a line at every tenth of the way

type Out = NodeJS.WriteStream

/** A progress bar on a TTY; otherwise a line at every tenth of the way. */
export class Progress {
  private readonly out: Out
  private readonly label: string
  private readonly total: number
  private readonly tty: boolean
  private lastStep = 0

  constructor (label: string, total: number, out: Out = process.stdout) {
    this.out = out
    this.label = label
    this.total = total
    this.tty = out.isTTY === true
  }

  /** Shows `done` of the total, with `note` after it. */
  update (done: number, note = ''): void {
    if (this.tty) {
      const filled = this.total === 0 ? BAR_WIDTH : Math.round(BAR_WIDTH * done / this.total)
      const bar = '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled)
      this.out.write(`\r\x1b[2K${this.label} ${bar} ${done}/${this.total}${note !== '' ? '  ' + note : ''}`)
      if (done === this.total) this.out.write('\n')
      return
    }
    const step = Math.floor(PLAIN_STEPS * done / Math.max(this.total, 1))
    if (step > this.lastStep || done === this.total) {
      this.lastStep = step
      this.out.write(`${this.label} ${done}/${this.total}${note !== '' ? '  ' + note : ''}\n`)
    }
  }
}

/** A block of lines redrawn in place on a TTY, with log lines scrolling above it. */
export class StatusBlock {
  readonly tty: boolean
  private readonly out: Out
  private lines: string[] = []
  private drawn = 0

  constructor (out: Out = process.stdout) {
    this.out = out
    this.tty = out.isTTY === true
  }

  /** Replaces the block (TTY only). */
  render (lines: string[]): void {
    this.lines = lines
    this.clear()
    this.draw()
  }

  /** Prints a line above the block, on `to` (the block's stream, or stderr on the same terminal). */
  log (line: string, to: Out = this.out): void {
    this.clear()
    to.write(line + '\n')
    this.draw()
  }

  /** Leaves the block where it is and stops redrawing it. */
  close (): void {
    this.lines = []
    this.drawn = 0
  }

  private clear (): void {
    if (this.drawn > 0) this.out.write(`\x1b[${this.drawn}A\x1b[0J`)
    this.drawn = 0
  }

  private draw (): void {
    if (!this.tty || this.lines.length === 0) return
    const width = this.out.columns > 0 ? this.out.columns : 80
    this.out.write(this.lines.map((line) => line.slice(0, width - 1)).join('\n') + '\n')
    this.drawn = this.lines.length
  }
}
