// Insertion into and removal from the sorted arrays of a lookup. Array#splice returns a new
// array of what it removed on every call, and a lookup inserts for every closer node of every
// reply: these move the elements in place instead.

/** Inserts `item` at index `i`, moving the rest up. */
export function insertAt<T> (list: T[], i: number, item: T): void {
  let j = list.length
  list.push(item)
  for (; j > i; j--) list[j] = list[j - 1]!
  list[i] = item
}

/** Removes the element at index `i`, moving the rest down. */
export function removeAt<T> (list: T[], i: number): void {
  const last = list.length - 1
  for (let j = i; j < last; j++) list[j] = list[j + 1]!
  list.pop()
}
