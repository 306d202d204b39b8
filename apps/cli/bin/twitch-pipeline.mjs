#!/usr/bin/env node
// Works in a fresh clone without a build step: the command runs from a bundle of its TypeScript
// sources that it builds and caches itself, or from the sources through tsx (see cli-bundle.mjs).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { loadCli } from './cli-bundle.mjs';

// DuckDB's allocator reads its settings once, when the library loads: they are set before the
// command loads it (see libs/duckdb/src/allocator-environment.ts). A variable already set wins.
const allocatorEnvironment = createRequire(import.meta.url)('@twitch-pipeline/duckdb/allocator-environment.json');
for (const [name, value] of Object.entries(allocatorEnvironment)) process.env[name] ??= value;

const cli = await loadCli(fileURLToPath(new URL('..', import.meta.url)));
// Before any command runs, so that its scratch and its workers' lies in one folder of its own.
cli.useProcessScratch();
process.exitCode = await cli.main(process.argv.slice(2));
