// The shape of what the table stores. One plain object per node, all fields set at creation
// (so every entry shares one hidden class), no closures, no wrapper objects: the
// least-recently-seen list is threaded through the entries themselves (prev/next).

/** What a caller knows about a node: its routing id and UDP address. */
export interface TableNode {
  /** 32 bytes. Stored as given, not copied: see the README on memory. */
  readonly id: Uint8Array
  /** Its IPv4 address: `'10.0.0.2'`. */
  readonly host: string
  /** Its UDP port. */
  readonly port: number
}

/**
 * A node in the table. The table owns the bookkeeping fields: read them, never write them
 * (use `table.seen()` to refresh a node).
 */
export interface TableEntry extends TableNode {
  /** The tick the node entered the table (kept across re-keying). */
  readonly added: number
  /** The last tick the node was seen alive (added, refreshed by `add()` or `seen()`). */
  readonly seen: number
  /** The next less recently seen entry of the whole table, or null for the stalest. */
  readonly prev: TableEntry | null
  /** The next more recently seen entry of the whole table, or null for the freshest. */
  readonly next: TableEntry | null
}

/** The fields of an entry the caller supplies to `add()`: all of `E` but the bookkeeping. */
export type EntryInit<E extends TableEntry> = Omit<E, 'added' | 'seen' | 'prev' | 'next'>

/**
 * Builds a new entry from what was passed to `add()`. It must return a fresh object with
 * `added` and `seen` set to `tick` and `prev`/`next` null. Called only when the node is
 * actually inserted (never for a refresh or a full bucket).
 */
export type CreateEntry<E extends TableEntry> = (node: EntryInit<E>, tick: number) => E

/** The default {@link CreateEntry}: a plain {@link TableEntry} with exactly seven fields. */
export function createEntry (node: TableNode, tick: number): TableEntry {
  return { id: node.id, host: node.host, port: node.port, added: tick, seen: tick, prev: null, next: null }
}

/** The table's private, writable view of an entry. */
export interface Links {
  readonly id: Uint8Array
  added: number
  seen: number
  prev: Links | null
  next: Links | null
}
