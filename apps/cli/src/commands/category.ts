import { type Command, PROGRAM } from '../cli/command';
import { usageError } from '../cli/errors';
import { categoryProfile } from '../profiles/category-profile';
import { PROFILE_OPTIONS, runProfile } from '../profiles/profile-output';

/** `category`: one category's profile over the local lake. */
export const categoryCommand: Command = {
  name: 'category',
  usage: ['category "NAME or ID" [--from DATE] [--to DATE] [--out FILE]'],
  details:
    'Hours watched and streamed (time-weighted), average and peak viewers, channels live and viewers per\n' +
    'channel (saturation) by hour of the day, the best hours to stream it, the top channels, its languages\n' +
    'and hours watched by day. The numbers come from the saved queries category_* (also Athena named\n' +
    'queries), all over gold. NAME is matched case-insensitively; a Helix category id (digits) is looked up\n' +
    'in silver. An unknown category exits with code 2 and the closest names in the lake.',
  options: PROFILE_OPTIONS,
  positionals: [{ name: 'NAME', description: 'the category name (quoted when it has spaces) or its Helix id', spaced: true }],
  examples: [`${PROGRAM} category "Just Chatting"`, `${PROGRAM} category 509658 --from 2026-11-01 --json`, `${PROGRAM} category "Just Chatting" --out just-chatting.html`],
  async run(input) {
    const [name] = input.positionals;
    if (name === undefined || name.trim() === '') throw usageError('give the category name or id, e.g. `category "Just Chatting"`', `${PROGRAM} category --help`);
    return runProfile(input, 'category', (session, range) => categoryProfile(session, name, range));
  },
};
