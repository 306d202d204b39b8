import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Executable names looked up on `PATH`, in this order, when `CHROMIUM_PATH` is unset. */
export const BROWSER_NAMES = ['chromium', 'chromium-browser', 'google-chrome'] as const;

/** The variable that turns "no browser" into a failing test (CI sets it). */
export const REQUIRE_VARIABLE = 'REQUIRE_BROWSER_TESTS';

/**
 * Headless flags for a container or a CI runner: no sandbox (often running as root), no GPU, no
 * background traffic to Google (the tests must not reach the network), no small /dev/shm.
 */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

const INSTALL_HINT = `install one (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH to its executable`;

/** Where a Chromium-family browser was found, or why none was. */
export type BrowserLookup = { found: true; executablePath: string } | { found: false; reason: string };

/** What a browser test file needs to decide: skip it, or launch this executable. */
export interface BrowserTestGate {
  /** True when no browser was found and none is required: the suite is skipped. */
  skip: boolean;
  /** The browser's executable; throws the lookup's reason when there is none (the required case). */
  executablePath(): string;
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Finds a Chromium-family browser: `CHROMIUM_PATH` when set (and then only it, so a wrong
 * value is reported rather than silently replaced), else the first of {@link BROWSER_NAMES}
 * found on `PATH`.
 *
 * @example
 * const lookup = findBrowser();
 * if (lookup.found) await chromium.launch({ executablePath: lookup.executablePath });
 */
export function findBrowser(env: NodeJS.ProcessEnv = process.env): BrowserLookup {
  const explicit = env.CHROMIUM_PATH;
  if (explicit) {
    return isExecutableFile(explicit)
      ? { found: true, executablePath: explicit }
      : { found: false, reason: `CHROMIUM_PATH=${explicit} is not an executable file` };
  }
  const directories = (env.PATH ?? '').split(delimiter).filter((directory) => directory !== '');
  for (const name of BROWSER_NAMES) {
    for (const directory of directories) {
      const candidate = join(directory, name);
      if (isExecutableFile(candidate)) return { found: true, executablePath: candidate };
    }
  }
  return { found: false, reason: `no ${BROWSER_NAMES.join(', ')} on PATH and CHROMIUM_PATH unset` };
}

/**
 * Whether browser tests must run (`REQUIRE_BROWSER_TESTS=1`): then a missing browser fails
 * them instead of skipping them.
 *
 * @example
 * browserTestsRequired({ REQUIRE_BROWSER_TESTS: '1' }); // true
 */
export function browserTestsRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[REQUIRE_VARIABLE] === '1';
}

/**
 * Decides, once per test file, whether its browser suite runs. Without a browser, and unless
 * browser tests are required, it prints one line saying which suite is skipped, why, and how
 * to install a browser; when they are required, `executablePath()` throws that reason so the
 * suite fails.
 *
 * @example
 * const browserGate = browserTestGate('dashboard in headless Chromium');
 * describe.skipIf(browserGate.skip)('dashboard in headless Chromium', () => {
 *   beforeAll(async () => {
 *     browser = await chromium.launch({ executablePath: browserGate.executablePath(), args: CHROMIUM_FLAGS });
 *   });
 * });
 */
export function browserTestGate(suite: string, env: NodeJS.ProcessEnv = process.env): BrowserTestGate {
  const lookup = findBrowser(env);
  const required = browserTestsRequired(env);
  if (!lookup.found && !required) {
    console.log(`skipped "${suite}": ${lookup.reason}; ${INSTALL_HINT} (${REQUIRE_VARIABLE}=1 makes this a failure)`);
  }
  return {
    skip: !lookup.found && !required,
    executablePath: () => {
      if (lookup.found) return lookup.executablePath;
      throw new Error(`"${suite}" needs a browser (${REQUIRE_VARIABLE}=1): ${lookup.reason}; ${INSTALL_HINT}`);
    },
  };
}
