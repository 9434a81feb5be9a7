// Types for the parts of the untyped reference packages that the benchmarks call.
declare module 'compact-encoding' {
  export interface State { start: number, end: number, buffer: Uint8Array }
  export interface Codec<T> {
    preencode (state: State, value: T): void
    encode (state: State, value: T): void
    decode (state: State): T
  }
  const cenc: {
    encode<T> (codec: Codec<T>, value: T): Uint8Array
    decode<T> (codec: Codec<T>, buffer: Uint8Array): T
  }
  export default cenc
}
