import { type CommandInput, PROGRAM } from '../cli/command';
import { sizeText, toJson } from '../cli/io';
import { pageTargetOf } from '../cli/page-target';
import { writePage } from '../cli/temporary-beside';
import { LakeSession } from '../lake/lake-session';
import type { CategoryProfile } from './category-profile';
import type { ChannelProfile } from './channel-profile';
import { type DateRange, dateRangeOf } from '../cli/date-range';
import { profileHtml } from './profile-page';
import { categoryText, channelText } from './profile-text';

/**
 * The body of the `channel` and `category` commands: builds the profile over the local lake,
 * then prints it as text or JSON, or writes it as a self-contained page with `--out`.
 *
 * @example
 * return runProfile(input, 'channel', (session, range) => channelProfile(session, login, range));
 */
export async function runProfile(
  input: CommandInput,
  command: 'channel' | 'category',
  build: (session: LakeSession, range: DateRange) => Promise<ChannelProfile | CategoryProfile>,
): Promise<number> {
  const range = dateRangeOf(input.values, command);
  const file = input.values.out === undefined ? undefined : pageTargetOf(input.values.out as string, { page: 'the profile page', command, forData: `${command} … --json > FILE.json` });
  const config = input.config();
  // Each view is created when a query of the profile first reads it: a profile reads gold only.
  const session = await LakeSession.open(config.dataDir, { warn: (text) => input.io.err(text), reads: [] });
  let profile: ChannelProfile | CategoryProfile;
  try {
    profile = await build(session, range);
  } finally {
    await session.close();
  }
  if (file !== undefined) {
    const html = await profileHtml(profile, { timeZone: config.timeZone });
    await writePage(file, html, { page: 'the profile page', hint: `write it elsewhere: ${PROGRAM} ${command} … --out FILE` });
    if (input.json) input.io.out(toJson({ file, bytes: Buffer.byteLength(html) }));
    else input.io.out(`Profile page written to ${file} (${sizeText(Buffer.byteLength(html))}, works offline)\n`);
    return 0;
  }
  if (input.json) input.io.out(toJson(profile));
  else input.io.out(profile.kind === 'channel' ? channelText(profile) : categoryText(profile));
  return 0;
}

/** The flags both profile commands take. */
export const PROFILE_OPTIONS = {
  from: { type: 'string', value: 'DATE', description: 'first day, inclusive (YYYY-MM-DD; default: the first day in the lake)' },
  to: { type: 'string', value: 'DATE', description: 'last day, inclusive (YYYY-MM-DD; default: the last day in the lake)' },
  out: { type: 'string', short: 'o', value: 'FILE', description: 'write the profile as a self-contained HTML page (charts, works offline) instead' },
} as const;
