import { describe, expect, it } from 'vitest';
import { StopSignal } from '../src/cli/signals';

describe('StopSignal', () => {
  it('takes a signal handled twice in one turn of the event loop as one: `timeout` signals the command and its process group', () => {
    // prepare
    const stop = new StopSignal();

    try {
      // act: what the event loop does with two signals pending at once
      process.emit('SIGINT', 'SIGINT');
      process.emit('SIGINT', 'SIGINT');

      // assess: still stopping at a safe point, not ended
      expect(stop.stopping).toBe(true);
      expect(stop.signal).toBe('SIGINT');
    } finally {
      stop.dispose();
    }
  });
});
