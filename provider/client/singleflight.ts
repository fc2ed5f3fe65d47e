/**
 * One in-flight promise per key: concurrent callers asking the same thing share one request.
 * The engine runs up to `--parallel` operations at once, so ten pods created together would each
 * ask Runpod the same catalog question, spending rate-limit budget on duplicates. Nothing is kept
 * once the promise settles (a failure is not cached); callers keep their own cache of answers.
 */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  /** Runs `fn` for `key` unless a call for `key` is already running, whose promise is then shared. */
  do(key: string, fn: () => Promise<T>): Promise<T> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const started = Promise.resolve()
      .then(fn)
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }

  /** Keys whose call has not settled yet. */
  get size(): number {
    return this.inFlight.size;
  }
}
