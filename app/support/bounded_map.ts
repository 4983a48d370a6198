/**
 * A Map that starts afresh once it holds `limit` entries: the memory of a lookup (verified API
 * keys, parsed settings, a zone's offsets) that a flood of distinct keys cannot grow without bound.
 * Forgetting everything at once is the point: each entry is cheap to learn again.
 */
export class BoundedMap<Key, Value> extends Map<Key, Value> {
  constructor(readonly limit: number) {
    super()
  }

  set(key: Key, value: Value) {
    if (this.size >= this.limit && !this.has(key)) this.clear()
    return super.set(key, value)
  }
}
