// Reading Prometheus' text exposition format, as `dht-rpc node --metrics` serves it: one
// sample a line, `name{label="value",...} number`, with # comments. Enough for what our own
// server writes (no timestamps are read, nor exemplars).

/** One sample: a metric name, its labels and its value. */
export interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g

/** The samples of `text`; a line that is not a sample or a comment throws. */
export function parsePrometheusText (text: string): Sample[] {
  const samples: Sample[] = []
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue
    const match = LINE.exec(line)
    if (match === null) throw new Error(`not a Prometheus sample: ${JSON.stringify(line)}`)
    const labels: Record<string, string> = Object.create(null) as Record<string, string>
    for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) labels[key!] = unescape(value!)
    samples.push({ name: match[1]!, labels, value: parseValue(match[3]!) })
  }
  return samples
}

function parseValue (text: string): number {
  if (text === '+Inf') return Infinity
  if (text === '-Inf') return -Infinity
  const n = Number(text)
  if (text !== 'NaN' && Number.isNaN(n)) throw new Error(`not a Prometheus value: ${JSON.stringify(text)}`)
  return n
}

function unescape (value: string): string {
  return value.replace(/\\(.)/g, (_, c: string) => c === 'n' ? '\n' : c)
}
