declare module 'sodium-native' {
  const sodium: {
    crypto_generichash (output: Uint8Array, input: Uint8Array, key?: Uint8Array): void
  }
  export default sodium
}
