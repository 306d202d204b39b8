import { spawn } from 'node:child_process';

// Printed by the command's own process as it exits: its peak resident memory.
const PEAK = `data:text/javascript,process.on('exit',()=>process.stderr.write('\\npeak-rss-kb '+process.resourceUsage().maxRSS+'\\n'))`;

/** What one CLI command run as a user runs it took. */
export interface TimedCommand {
  code: number;
  seconds: number;
  /** Peak resident memory of the command's process, MB. */
  peakMb: number;
  stdout: string;
}

/**
 * Runs one CLI command in its own process, as a user runs it: its exit code, wall seconds, peak
 * RSS (MB, reported by the process itself as it exits) and output.
 *
 * @example
 * const { seconds, peakMb } = await timedCommand(BIN, ['status'], { ...process.env, PIPELINE_DATA_DIR: dataDir });
 * await timedCommand('housekeeping.ts', [dataDir], process.env, ['--import', 'tsx']); // a TypeScript script
 */
export function timedCommand(bin: string, args: readonly string[], env: NodeJS.ProcessEnv, nodeArgs: readonly string[] = []): Promise<TimedCommand> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', PEAK, ...nodeArgs, bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', fail);
    child.on('close', (code) => {
      const peak = /peak-rss-kb (\d+)/.exec(stderr);
      done({ code: code ?? 1, seconds: (performance.now() - started) / 1000, peakMb: peak ? Math.round(Number(peak[1]) / 1024) : Number.NaN, stdout });
    });
  });
}
