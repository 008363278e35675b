/**
 * Lock-step between the fake model and the client, which share this process: after writing a chunk, the
 * model waits for the client's word that the chunk's event has arrived before it writes anything more.
 * A relay that holds a byte back until more comes (a buffer, a parser waiting for the next piece, a
 * socket left corked) then gets nothing more, and the model gives up on it after the wait; a relay that
 * is only slow, or paused by a garbage collection or the machine, still delivers and lets the model go on.
 */
export class ChunkGate {
  readonly #waiting = new Map<string, () => void>();

  /** The client has the event of chunk `chunk` of the call tagged `tag`. */
  arrived(tag: string, chunk: number): void {
    const key = `${tag}#${chunk}`;
    const release = this.#waiting.get(key);
    if (!release) return; // an event past the model's chunks, or one the model gave up on
    this.#waiting.delete(key);
    release();
  }

  /**
   * Called by the model straight after writing the chunk, so no event can arrive before it: true once the
   * client has the chunk's event, false if `ms` went by first.
   */
  wait(tag: string, chunk: number, ms: number): Promise<boolean> {
    const key = `${tag}#${chunk}`;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(key);
        resolve(false);
      }, ms);
      this.#waiting.set(key, () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
