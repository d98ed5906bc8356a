/**
 * A FIFO mutex. One per test transaction: PostgreSQL runs one statement at a
 * time per connection and savepoints nest, so two requests that each open a
 * savepoint on the same connection would interleave and one `ROLLBACK TO`
 * would silently undo the other's writes. The lock makes them take turns.
 *
 * @example
 * ```ts
 * const lock = new Mutex();
 * const release = await lock.acquire({ timeoutMs: 1_000 });
 * try { await work(); } finally { release(); }
 * await lock.run(() => moreWork());
 * ```
 */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;

  /** How many callers hold or wait for the lock. */
  get queued(): number {
    return this.waiting;
  }

  /**
   * Waits for the lock and returns its release function (idempotent).
   * With `timeoutMs`, rejects with `onTimeout()` instead of waiting longer;
   * the place in the queue is then given up as soon as it comes.
   */
  acquire(options: { timeoutMs?: number; onTimeout?: () => Error } = {}): Promise<() => void> {
    const release = this.tryAcquire();
    return release ? Promise.resolve(release) : this.enqueue(options);
  }

  /**
   * Takes the lock now if nobody holds or waits for it, and returns its
   * release function; returns undefined otherwise (nothing is queued). Saves
   * the hot path a promise and a turn of the microtask queue.
   */
  tryAcquire(): (() => void) | undefined {
    if (this.waiting !== 0) return undefined;
    let releaseNext!: () => void;
    this.tail = new Promise<void>((resolve) => (releaseNext = resolve));
    this.waiting = 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.waiting--;
      releaseNext();
    };
  }

  private enqueue(options: { timeoutMs?: number; onTimeout?: () => Error }): Promise<() => void> {
    let releaseNext!: () => void;
    const next = new Promise<void>((resolve) => (releaseNext = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => next);
    this.waiting++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.waiting--;
      releaseNext();
    };
    const granted = previous.then(() => release);
    if (options.timeoutMs === undefined) return granted;

    return new Promise((resolve, reject) => {
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        void granted.then((r) => r());
        reject(options.onTimeout?.() ?? new Error(`lock not acquired within ${options.timeoutMs} ms`));
      }, options.timeoutMs);
      void granted.then((r) => {
        if (timedOut) return;
        clearTimeout(timer);
        resolve(r);
      });
    });
  }

  /** Runs `fn` while holding the lock. */
  async run<T>(fn: () => Promise<T>, options?: { timeoutMs?: number; onTimeout?: () => Error }): Promise<T> {
    const release = await this.acquire(options);
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
