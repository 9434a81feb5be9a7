// Ambient declarations for the untyped dependencies, limited to what this package calls.
declare module 'sodium-native' {
  const sodium: {
    crypto_generichash (output: Uint8Array, input: Uint8Array, key?: Uint8Array): void
    randombytes_buf (buffer: Uint8Array): void
    randombytes_random (): number
  }
  export default sodium
}
