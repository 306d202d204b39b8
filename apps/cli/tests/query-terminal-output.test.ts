import { describe, expect, it } from 'vitest';
import { main } from '../src/main';
import { cliEnv, useTemporaryDataDirs } from './support/cli-process';

const dataDirectory = useTemporaryDataDirs();

/** A title built to act on a terminal: retitle it (OSC), clear it (CSI), and a C1 CSI. */
const HOSTILE = "SELECT chr(27) || ']0;pwned' || chr(7) || 'x' || chr(27) || '[2J' || chr(155) || '31m' AS title, 2 AS n";

/** `query` printing to an Io whose stdout is or is not a terminal; what it wrote. */
async function printed(args: string[], outputIsTerminal: boolean): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const io = {
    out: (text: string | Uint8Array) => {
      stdout += typeof text === 'string' ? text : Buffer.from(text).toString('utf8');
    },
    err: () => {},
    drained: async () => {},
    interactive: false,
    outputIsTerminal,
  };
  const code = await main(args, io, cliEnv(await dataDirectory()));
  return { code, stdout };
}

describe('query printing CSV or JSON on a terminal', () => {
  it.each([
    ['csv, a query', ['query', HOSTILE, '--format', 'csv']],
    ['csv, several statements', ['query', `SELECT 1; ${HOSTILE}`, '--format', 'csv']],
    ['json, a query', ['query', HOSTILE, '--format', 'json']],
  ])('%s: nothing a terminal acts on reaches it, and the values stay readable', async (_name, args) => {
    // act
    const shown = await printed(args, true);
    // assess
    expect(shown.code).toBe(0);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the controls are what must be absent
    expect(shown.stdout).not.toMatch(/[\u001b\u0007\u009b]/);
    expect(shown.stdout).toContain('2');
  });

  it('leaves the bytes as they are when stdout is a pipe or a file', async () => {
    // act
    const piped = await printed(['query', HOSTILE, '--format', 'csv'], false);
    // assess
    expect(piped.code).toBe(0);
    expect(piped.stdout).toContain('\u001b]0;pwned\u0007x');
  });
});
