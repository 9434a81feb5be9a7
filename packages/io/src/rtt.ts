// Retransmission timeouts follow TCP's estimator (RFC 6298): learn the round-trip time from
// replies to requests sent once, wait srtt + 4 * rttvar, back off on every resend.
const INITIAL_RTO = 1000 // before any reply, as patient as dht-rpc v6
const MIN_RTO = 200 // a loaded event loop adds tens of ms; below this, resends are noise
const MAX_RTO = 3000 // never slower than dht-rpc v5's ~2.25 s spacing by much
const BACKOFF = 1.5

export class RttEstimator {
  private srtt = 0
  private rttvar = 0
  private samples = 0

  /** Records the round-trip time of a request that was sent once. */
  sample (rtt: number): void {
    if (this.samples++ === 0) {
      this.srtt = rtt
      this.rttvar = rtt / 2
      return
    }
    this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - rtt)
    this.srtt = 0.875 * this.srtt + 0.125 * rtt
  }

  /** How long to wait for a reply after send number `sends` (1 for the first). */
  timeout (sends: number): number {
    const base = this.samples === 0 ? INITIAL_RTO : Math.max(MIN_RTO, Math.min(MAX_RTO, this.srtt + 4 * this.rttvar))
    return Math.min(MAX_RTO, base * BACKOFF ** (sends - 1))
  }

  /** The smoothed round-trip time in ms, or null before the first sample. */
  get smoothed (): number | null {
    return this.samples === 0 ? null : this.srtt
  }
}
