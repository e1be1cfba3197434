/**
 * The simulator's event queue: a binary min-heap on (time, sequence) over a pool of event slots held in typed arrays.
 *
 * A propagation to 10,000 nodes is a few hundred thousand events per block; storing each event as four numbers in
 * preallocated arrays (and the heap as an Int32Array of slot indices) keeps that free of per-event objects and so of
 * garbage collection. The sequence number breaks ties between events of equal time in the order they were pushed,
 * which keeps a run deterministic (a heap alone is not a stable order).
 */

export class EventQueue {
  private time: Float64Array;
  private seq: Float64Array;
  private kindOf: Uint8Array;
  private aOf: Int32Array;
  private bOf: Int32Array;
  private cOf: Int32Array;
  private heap: Int32Array;
  private free: Int32Array;
  private freeCount = 0;
  private size = 0;
  private used = 0;
  private counter = 0;

  /** Fields of the event last returned by pop(). */
  kind = 0;
  a = 0;
  b = 0;
  c = 0;
  now = 0;

  constructor(initialCapacity = 1024) {
    const n = Math.max(16, initialCapacity);
    this.time = new Float64Array(n);
    this.seq = new Float64Array(n);
    this.kindOf = new Uint8Array(n);
    this.aOf = new Int32Array(n);
    this.bOf = new Int32Array(n);
    this.cOf = new Int32Array(n);
    this.heap = new Int32Array(n);
    this.free = new Int32Array(n);
  }

  get length(): number {
    return this.size;
  }

  private grow(): void {
    const n = this.time.length * 2;
    const copy = <T extends Float64Array | Int32Array | Uint8Array>(src: T, make: (n: number) => T): T => {
      const dst = make(n);
      dst.set(src);
      return dst;
    };
    this.time = copy(this.time, (k) => new Float64Array(k));
    this.seq = copy(this.seq, (k) => new Float64Array(k));
    this.kindOf = copy(this.kindOf, (k) => new Uint8Array(k));
    this.aOf = copy(this.aOf, (k) => new Int32Array(k));
    this.bOf = copy(this.bOf, (k) => new Int32Array(k));
    this.cOf = copy(this.cOf, (k) => new Int32Array(k));
    this.heap = copy(this.heap, (k) => new Int32Array(k));
    this.free = copy(this.free, (k) => new Int32Array(k));
  }

  private less(i: number, j: number): boolean {
    const ti = this.time[i];
    const tj = this.time[j];
    return ti < tj || (ti === tj && this.seq[i] < this.seq[j]);
  }

  /** Schedules an event; times must be finite (the simulator never schedules into the past). */
  push(time: number, kind: number, a: number, b: number, c: number): void {
    if (!Number.isFinite(time)) throw new RangeError(`event time ${time} is not finite`);
    let slot: number;
    if (this.freeCount > 0) slot = this.free[--this.freeCount];
    else {
      if (this.used === this.time.length) this.grow();
      slot = this.used++;
    }
    this.time[slot] = time;
    this.seq[slot] = this.counter++;
    this.kindOf[slot] = kind;
    this.aOf[slot] = a;
    this.bOf[slot] = b;
    this.cOf[slot] = c;
    const heap = this.heap;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(slot, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = slot;
  }

  /** Removes the earliest event and exposes it as now/kind/a/b/c; false when the queue is empty. */
  pop(): boolean {
    if (this.size === 0) return false;
    const heap = this.heap;
    const top = heap[0];
    this.now = this.time[top];
    this.kind = this.kindOf[top];
    this.a = this.aOf[top];
    this.b = this.bOf[top];
    this.c = this.cOf[top];
    this.free[this.freeCount++] = top;
    const last = heap[--this.size];
    if (this.size > 0) {
      let i = 0;
      const n = this.size;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const child = r < n && this.less(heap[r], heap[l]) ? r : l;
        if (!this.less(heap[child], last)) break;
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = last;
    }
    return true;
  }
}
