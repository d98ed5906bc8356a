// The session lock: requests of one test take turns on it, in arrival order.
// A free lock is taken without a promise (tryAcquire), which must not let a
// newcomer overtake a caller that is already waiting.
import { describe, expect, test } from 'vitest';
import { Mutex } from '../lock.ts';

describe('the session lock', () => {
  test('when three callers wait, then they get the lock in arrival order, one at a time', async () => {
    const lock = new Mutex();
    const order: string[] = [];
    let holders = 0;
    const worker = (name: string) =>
      lock.run(async () => {
        holders++;
        expect(holders).toBe(1);
        order.push(name);
        await new Promise((resolve) => setTimeout(resolve, 5));
        holders--;
      });
    await Promise.all([worker('a'), worker('b'), worker('c')]);
    expect(order).toEqual(['a', 'b', 'c']);
  });

  test('when the lock is held, then tryAcquire returns nothing and queues nothing', async () => {
    const lock = new Mutex();
    const release = lock.tryAcquire();
    expect(release).toBeTypeOf('function');
    expect(lock.tryAcquire()).toBeUndefined();
    expect(lock.queued).toBe(1);
    release!();
    release!(); // idempotent
    expect(lock.queued).toBe(0);
    expect(lock.tryAcquire()).toBeTypeOf('function');
  });

  test('when a caller waits, then tryAcquire does not overtake it, even once the holder has released', async () => {
    const lock = new Mutex();
    const first = lock.tryAcquire()!;
    const waiting = lock.acquire();
    first();
    expect(lock.tryAcquire()).toBeUndefined(); // the waiter is next, though its promise has not resolved yet
    const second = await waiting;
    expect(lock.tryAcquire()).toBeUndefined();
    second();
    expect(lock.queued).toBe(0);
  });

  test('when a waiter times out, then it gives its place up and the next one gets the lock', async () => {
    const lock = new Mutex();
    const held = await lock.acquire();
    const impatient = lock.acquire({ timeoutMs: 10, onTimeout: () => new Error('waited too long') });
    const patient = lock.acquire();
    await expect(impatient).rejects.toThrow('waited too long');
    held();
    const release = await patient;
    expect(lock.queued).toBe(1);
    release();
    expect(lock.queued).toBe(0);
  });
});
