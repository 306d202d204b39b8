import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('./support/fixtures/stdout-reader-gone.ts', import.meta.url));

describe('processIo when the reader of stdout leaves', () => {
  it('settles drained() and finished() after the pipe’s error, where the command hung and Node exited 13', async () => {
    // prepare: the reader leaves once the writer has filled the pipe, as `| head -1` does
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.stdout.once('data', () => child.stdout.destroy());

    // act
    const code = await new Promise((resolve) => child.on('close', resolve));

    // assess
    expect([code, stderr.trim()]).toEqual([0, 'settled']);
  });
});
