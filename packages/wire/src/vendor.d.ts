// Ambient declarations for the untyped dependencies, limited to what this package calls.
// They are private: no public type of @dht/wire refers to them.

declare module 'compact-encoding' {
  interface State {
    start: number
    end: number
    buffer: Uint8Array
  }
  interface Codec<T> {
    preencode(state: State, value: T): void
    encode(state: State, value: T): void
    decode(state: State): T
  }
  const cenc: {
    state(start?: number, end?: number, buffer?: Uint8Array | null): State
    uint: Codec<number>
    uint16: Codec<number>
    fixed32: Codec<Uint8Array>
    string: Codec<string>
    buffer: Codec<Uint8Array | null>
  }
  export default cenc
}

declare module 'sodium-native' {
  const sodium: {
    crypto_generichash(output: Uint8Array, input: Uint8Array, key?: Uint8Array): void
  }
  export default sodium
}
