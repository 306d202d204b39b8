import { describe, expect, it } from 'vitest';
import { cliEnv, spawnCli, useTemporaryDataDirs } from './support/cli-process';

const temporaryDataDir = useTemporaryDataDirs();

// Far longer than the query takes (about a second), far shorter than a hang.
const PATIENCE_MS = 30_000;

describe('query with a semicolon that is not the last, then a line of dashes', () => {
  it('prints the result instead of hanging on the trailing-semicolon match', async () => {
    // prepare: a note ending in a semicolon, then a separator line, as a report file has
    const sql = `SELECT 1 AS n -- first part;\n-- ${'-'.repeat(60)}\n, 2 AS m`;
    const query = spawnCli(['query', sql, '--format', 'csv'], cliEnv(await temporaryDataDir()));
    const patience = setTimeout(() => query.child.kill('SIGKILL'), PATIENCE_MS);

    // act
    const result = await query.finished.finally(() => clearTimeout(patience));

    // assess
    expect([result.code, result.stdout, result.stderr]).toEqual([0, 'n,m\n1,2\n', '']);
  });
});
