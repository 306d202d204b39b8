#!/usr/bin/env node
// Runs the TypeScript entry through tsx's loader so the command works in a fresh clone, without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
