/**
 * The turns the statements of one session take on its connection.
 *
 * @example
 * const release = await turns.takeTurn();
 * try {
 *   await connection.run(sql);
 * } finally {
 *   release();
 * }
 */
export class StatementTurns {
  /** Settles when the statement whose chunks are being read now (if any) has finished. */
  private idle: Promise<void> = Promise.resolve();

  /**
   * Waits for the statement running now and returns the release of this one's turn: a
   * connection runs one statement at a time, so the statements of one session take turns, one
   * whose chunks are being read until its last chunk.
   */
  async takeTurn(): Promise<() => void> {
    const previous = this.idle;
    let release = () => {};
    this.idle = new Promise((done) => {
      release = done;
    });
    await previous;
    return release;
  }
}
