import { PIPELINE_ENV_VARIABLES } from '@twitch-pipeline/schemas';

/** Variables read outside the configuration schema: the error reporter's and the Lambdas' metrics service. */
const READ_ELSEWHERE = ['TWITCH_PIPELINE_DEBUG', 'PIPELINE_METRICS_SERVICE'];

const KNOWN = new Set([...PIPELINE_ENV_VARIABLES, ...READ_ELSEWHERE]);

/** A name without its underscores, in one case: `PIPELINE_TIME_ZONE` and `PIPELINE_TIMEZONE` are one. */
const folded = (name: string) => name.replaceAll('_', '').toUpperCase();

/** Whether one letter added, left out or changed makes `a` into `b`. */
function oneLetterApart(a: string, b: string): boolean {
  let same = 0;
  while (same < a.length && a[same] === b[same]) same += 1;
  return [a.slice(same + 1) === b.slice(same + 1), a.slice(same) === b.slice(same + 1), a.slice(same + 1) === b.slice(same)].some(Boolean);
}

/** The setting a variable name looks like a misspelling of: the same letters but one, or one name the other's start. */
function lookalike(name: string): string | undefined {
  const typed = folded(name);
  return [...KNOWN].find((known) => {
    const setting = folded(known);
    return setting.startsWith(typed) || typed.startsWith(setting) || oneLetterApart(typed, setting);
  });
}

/**
 * One warning per environment variable that looks like one of this program's settings but is not
 * one: a mistyped name (`PIPELINE_TIME_ZONE`) would leave its setting at the default without a
 * word. Only a name one letter or a suffix away from a setting's: other tools set names with these
 * prefixes too (Azure Pipelines sets `PIPELINE_WORKSPACE` on every job). Values are never shown.
 *
 * @example
 * unknownSettingWarnings({ PIPELINE_TIME_ZONE: 'Asia/Tokyo' });
 * // ['PIPELINE_TIME_ZONE is not a setting and is ignored (did you mean PIPELINE_TIMEZONE?)']
 */
export function unknownSettingWarnings(env: Record<string, string | undefined>): string[] {
  return Object.keys(env)
    .filter((name) => env[name] !== undefined && !KNOWN.has(name) && /^(PIPELINE|TWITCH|ALERTS?)_/.test(name))
    .sort()
    .flatMap((name) => {
      const meant = lookalike(name);
      return meant ? [`${name} is not a setting and is ignored (did you mean ${meant}?)`] : [];
    });
}
