import { parseArgs } from 'node:util';

/** The part of a command's flag this reads (`OptionSpec`'s, without importing the module that parses). */
type FlagSpec = { type: 'string' | 'boolean'; short?: string; value?: string };

/** What Node's strict parser refused, in the tool's own words; `version` for a `--version` or `-v` meant as the program's. */
export type ParseRefusal = { kind: 'version'; flag: string } | { kind: 'usage'; message: string };

/**
 * The first option Node's strict parser would refuse in `args`, found from the tokens of a lenient
 * parse in the order the strict one checks them, not from the wording of Node's messages, which
 * quote the option unevenly (`'-n, --limit <value>'`, `'-o'`) and are no interface: an unknown
 * flag, a value left out, a value opening with a dash given apart, a value given to a switch.
 * Only a command whose argument may open with a dash (`dashed`, SQL) is told to put an unknown
 * one after `--`: to any other, `-- "--hours"` is an unexpected argument, or a login or action no
 * one has, and no fix for a flag of another command. Undefined when no option is at fault.
 *
 * @example
 * parseRefusalOf(['-o', '--json'], { out: { type: 'string', short: 'o', value: 'FILE' } }, true);
 * // { kind: 'usage', message: '--out needs a value: --out FILE (a value that opens with a dash goes after =, as in --out=-…)' }
 */
export function parseRefusalOf(args: string[], options: Record<string, FlagSpec>, dashed: boolean): ParseRefusal | undefined {
  const { tokens } = parseArgs({
    args,
    options: Object.fromEntries(Object.entries(options).map(([name, spec]) => [name, { type: spec.type, ...(spec.short ? { short: spec.short } : {}) }])),
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const spec = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    if (!spec) {
      if (token.rawName === '--version' || token.rawName === '-v') return { kind: 'version', flag: token.rawName };
      const after = dashed ? ` (an argument that is not an option but opens with - goes after --, as in: -- "${token.rawName}")` : '';
      return { kind: 'usage', message: `unknown option ${token.rawName}${after}` };
    }
    const flag = `--${token.name}`;
    if (spec.type === 'boolean') {
      if (token.value !== undefined) return { kind: 'usage', message: `${flag} takes no value: give it alone` };
      continue;
    }
    const needs = `${flag} needs a value: ${flag} ${spec.value ?? 'VALUE'}`;
    if (token.value === undefined) return { kind: 'usage', message: needs };
    if (!token.inlineValue && token.value.length > 1 && token.value.startsWith('-')) {
      return { kind: 'usage', message: `${needs} (a value that opens with a dash goes after =, as in ${flag}=-…)` };
    }
  }
  return undefined;
}
