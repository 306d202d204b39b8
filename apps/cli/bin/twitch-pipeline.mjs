#!/usr/bin/env node
// Works in a fresh clone without a build step: the command runs from a bundle of its TypeScript
// sources that it builds and caches itself, or from the sources through tsx (see cli-bundle.mjs).
import { fileURLToPath } from 'node:url';
import { loadCli } from './cli-bundle.mjs';

const cli = await loadCli(fileURLToPath(new URL('..', import.meta.url)));
process.exitCode = await cli.main(process.argv.slice(2));
