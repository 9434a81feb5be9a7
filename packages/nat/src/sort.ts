/** In-place ascending sort of the first `length` entries of a typed array. */

// Insertion sort: cheap for a ring's worth of numbers (16 by default), and unlike
// subarray().sort() it allocates nothing.
export function sortPrefix (values: Uint16Array, length: number): void {
  for (let i = 1; i < length; i++) {
    const v = values[i]!
    let j = i - 1
    while (j >= 0 && values[j]! > v) {
      values[j + 1] = values[j]!
      j--
    }
    values[j + 1] = v
  }
}
