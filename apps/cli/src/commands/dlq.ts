import { type Command, PROGRAM } from '../cli/command';
import { usageError } from '../cli/errors';
import { toJson } from '../cli/io';
import { formatTable } from '../cli/table';
import { assertDataDirectory } from '../lake/data-directory';
import { count } from '../runtime/cycle-messages';
import { localRuntime } from '../runtime/local-runtime';
import { wholeNumber } from '../runtime/run-options';

const ACTIONS = ['count', 'peek', 'redrive'] as const;

/** `dlq`: the dead-letter queue of the local event queue. */
export const dlqCommand: Command = {
  name: 'dlq',
  usage: ['dlq count', 'dlq peek [--limit N]', 'dlq redrive [--limit N]'],
  details:
    'Messages the consumer failed to process QUEUE_MAX_RECEIVES times land in the DLQ instead of being lost;\n' +
    'unreadable ones (empty, torn, not JSON, unknown envelope version) land there at once.\n' +
    'peek shows them without consuming them, with the reason (raw text, cut to fit the table; --json gives it whole);\n' +
    'redrive moves them back to the queue with a fresh receive count (the next `run` consumes them).',
  options: {
    limit: { type: 'string', short: 'n', value: 'N', description: 'messages to peek (default 10) or redrive (default all)' },
  },
  positionals: [{ name: 'ACTION', description: 'count, peek or redrive' }],
  examples: [`${PROGRAM} dlq count`, `${PROGRAM} dlq peek --limit 3 --json`, `${PROGRAM} dlq redrive`],
  async run(input) {
    const action = input.positionals[0] as (typeof ACTIONS)[number] | undefined;
    if (!action) throw usageError(`give an action: ${ACTIONS.join(', ')}`, `${PROGRAM} dlq --help`);
    if (!ACTIONS.includes(action)) throw usageError(`unknown action "${action}": give count, peek or redrive`, `${PROGRAM} dlq --help`);
    const limit = wholeNumber(input.values.limit, 'limit', 'dlq', { min: 1, max: 1_000_000 });
    if (action === 'count' && limit !== undefined) throw usageError('dlq count counts every message and takes no --limit', `${PROGRAM} dlq --help`);
    const config = input.config();
    assertDataDirectory(config.dataDir);
    const { queue } = localRuntime(config);
    const dlq = queue.deadLetterQueue();
    if (action === 'count') {
      const [dead, counts] = await Promise.all([dlq.count(), queue.counts()]);
      if (input.json) input.io.out(toJson({ deadLetters: dead, queue: counts }));
      else input.io.out(`${count(dead)} message(s) in the DLQ; queue: ${count(counts.visible)} visible, ${count(counts.inFlight)} in flight\n`);
      return 0;
    }
    if (action === 'peek') {
      const letters = await dlq.peek(limit ?? 10);
      if (input.json) input.io.out(toJson(letters));
      else if (letters.length === 0) input.io.out('the DLQ is empty\n');
      else {
        input.io.out(
          formatTable({
            columns: ['message', 'receives', 'sent at', 'reason', 'body'],
            rows: letters.map((letter) => [letter.messageId, letter.receiveCount, letter.sentAt.toISOString(), letter.reason ?? '', letter.body]),
          }),
        );
      }
      return 0;
    }
    const { moved } = await dlq.redrive(limit);
    if (input.json) input.io.out(toJson({ moved }));
    else input.io.out(`${count(moved)} message(s) moved back to the queue; the next \`${PROGRAM} run\` consumes them\n`);
    return 0;
  },
};
