/** Bounds how many task handlers run at once. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) {
      this.active++;
      return this.guard(fn);
    }
    return new Promise<void>((resolve) => this.waiting.push(resolve)).then(() => this.guard(fn));
  }

  private guard<T>(fn: () => Promise<T>): Promise<T> {
    const release = (): void => {
      const next = this.waiting.shift();
      // Hand the slot straight to the next waiter: `active` stays the same.
      if (next) next();
      else this.active--;
    };
    let pending: Promise<T>;
    try {
      pending = fn();
    } catch (error) {
      release();
      return Promise.reject(error);
    }
    return pending.then(
      (value) => {
        release();
        return value;
      },
      (error: unknown) => {
        release();
        throw error;
      },
    );
  }
}
