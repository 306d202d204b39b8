import { type Command, PROGRAM } from '../cli/command';
import { usageError } from '../cli/errors';
import { channelProfile } from '../profiles/channel-profile';
import { PROFILE_OPTIONS, runProfile } from '../profiles/profile-output';

/** `channel`: one channel's profile over the local lake. */
export const channelCommand: Command = {
  name: 'channel',
  usage: ['channel LOGIN [--from DATE] [--to DATE] [--out FILE]'],
  details:
    'Hours streamed and watched (time-weighted), average and peak viewers, broadcasts, the categories played\n' +
    'with their share of airtime and of hours watched, a weekday × hour heat-map of when the channel is live\n' +
    'and how many watch, average viewers by day, its rank among the channels of its language, and its last\n' +
    'real-time sample. The numbers come from the saved queries channel_* (also Athena named queries), all\n' +
    'reading gold; the heat-map reads gold_canais_hora, one row per channel and local hour.\n' +
    'An unknown login exits with code 2 and the closest logins in the lake.',
  options: PROFILE_OPTIONS,
  positionals: [{ name: 'LOGIN', description: 'the channel login (case-insensitive; a pasted twitch.tv address, @login or #login also works)' }],
  examples: [`${PROGRAM} channel gaules`, `${PROGRAM} channel gaules --from 2026-11-01 --to 2026-11-30 --json`, `${PROGRAM} channel gaules --out gaules.html`],
  async run(input) {
    const [login] = input.positionals;
    if (login === undefined || login.trim() === '') throw usageError('give the channel login, e.g. `channel gaules`', `${PROGRAM} channel --help`);
    return runProfile(input, 'channel', (session, range) => channelProfile(session, login, range));
  },
};
