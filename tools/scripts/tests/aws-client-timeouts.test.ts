import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The AWS SDK sets no timeout of its own: a request the service accepts and never answers holds
// a function until Lambda kills it. Every client the functions build must therefore take the
// shared options (AWS_CLIENT_OPTIONS, or a variant named *_CLIENT_OPTIONS built from them).
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLIENT = /new (S3|SQS|SNS|SSM|DynamoDB|SFN|Athena|Glue|CloudWatch|SecretsManager)Client\(([^)]*)\)/g;

async function sourcesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(join(ROOT, folder), { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && /[\\/]src([\\/]|$)/.test(entry.parentPath))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The code of a source, its comments left out (TSDoc examples build clients with `{}`). */
function codeOf(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

describe('AWS SDK clients of the functions', () => {
  it('are all built with the shared connection and socket timeouts', async () => {
    // prepare
    const files = [...(await sourcesUnder('apps')), ...(await sourcesUnder('libs'))];
    // act
    const built: string[] = [];
    const withoutTimeouts: string[] = [];
    for (const file of files) {
      for (const [call, , argument] of codeOf(await readFile(file, 'utf8')).matchAll(CLIENT)) {
        built.push(call);
        if (!/^[A-Z_]*CLIENT_OPTIONS$/.test(argument!.trim())) withoutTimeouts.push(`${relative(ROOT, file)}: ${call}`);
      }
    }
    // assess
    expect(built.length).toBeGreaterThanOrEqual(6);
    expect(withoutTimeouts).toEqual([]);
  });
});
