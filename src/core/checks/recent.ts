/**
 * The last few verdicts of an expensive check. The same value is judged twice within one event
 * (by its mapping row, then by the record's schema format), a few fields apart; a small ring is
 * enough for that and, unlike a large cache, does not turn a benchmark's repeated body into hits.
 */
export class RecentVerdicts<V> {
  private readonly keys: (string | undefined)[];
  private readonly values: V[];
  private next = 0;

  constructor(private readonly size = 16) {
    this.keys = new Array<string | undefined>(size);
    this.values = new Array<V>(size);
  }

  get(key: string, compute: (key: string) => V): V {
    for (let i = 0; i < this.size; i++) if (this.keys[i] === key) return this.values[i] as V;
    const value = compute(key);
    this.keys[this.next] = key;
    this.values[this.next] = value;
    this.next = (this.next + 1) % this.size;
    return value;
  }
}
