/** Where the stack name goes in {@link LONGEST_STACK_NAMES}. */
const STACK = '<stack>';

/** Every named resource of the data and pipeline stacks starts with `twitch-pipeline-<stack>`. */
const NAME_PREFIX = 'twitch-pipeline-';

/** A name AWS limits, as the stacks build it around the stack name. */
export interface BuiltName {
  /** The name with `<stack>` where the stack name goes. */
  name: string;
  /** What bears it, for the error message. */
  of: string;
  /** The most characters AWS accepts for it. */
  limit: number;
}

/**
 * The names that leave the stack name the least room: for each AWS limit the stacks meet (64
 * for Lambda functions, the connector's catalog and schedules; 80 for queues and state
 * machines), the longest name built under it. The other names (topics, alarms, log groups,
 * dashboards, Glue and DynamoDB names) allow 255 characters or more. The data and pipeline
 * tests build every name with a stack name of {@link MAX_STACK_NAME_LENGTH} characters and fail
 * when one no longer fits, so a longer name added later shows up here.
 */
export const LONGEST_STACK_NAMES: readonly BuiltName[] = [
  { name: `${NAME_PREFIX}${STACK}-transform-silver`, of: 'the transform-silver Lambda function', limit: 64 },
  // The connector template's AthenaCatalogName: AllowedPattern ^[a-z0-9-_]{1,64}$.
  { name: `${NAME_PREFIX}${STACK}-athena-dynamodb`, of: "the Athena DynamoDB connector's catalog and function", limit: 64 },
  { name: `${NAME_PREFIX}${STACK}-pipeline`, of: 'the EventBridge Scheduler schedule', limit: 64 },
  { name: `${NAME_PREFIX}${STACK}-events-dlq`, of: 'the dead-letter queue', limit: 80 },
];

const roomFor = ({ name, limit }: BuiltName) => limit - (name.length - STACK.length);

/** The name that limits the stack name: the one leaving it the least room. */
const TIGHTEST = LONGEST_STACK_NAMES.reduce((tightest, built) => (roomFor(built) < roomFor(tightest) ? built : tightest));

/**
 * The longest stack name every built name fits with: 31 characters, what
 * `twitch-pipeline-<stack>-transform-silver` leaves of Lambda's 64.
 */
export const MAX_STACK_NAME_LENGTH = roomFor(TIGHTEST);

/**
 * Lowercase letters and digits in words joined by single hyphens, starting with a letter: Lambda
 * function, connector catalog and S3-style names refuse dots, the connector's catalog refuses
 * uppercase, and without underscores the SQL names below cannot collide.
 */
const STACK_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** A name of the rule's shape close to the refused one, for the error message. */
function suggestionFor(stack: string): string {
  const words = stack.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^[^a-z]+|-+$/g, '');
  const fitted = words.slice(0, MAX_STACK_NAME_LENGTH).replace(/-+$/, '');
  return STACK_NAME.test(fitted) ? fitted : 'prod-eu';
}

/**
 * Throws, naming the stack, the rule and a good name, when a stack name cannot name this
 * platform's AWS resources; called when the program runs, so `pulumi preview` refuses it.
 *
 * @example
 * assertStackName('prod-eu'); // passes
 * assertStackName('Prod.eu'); // throws: … for example "prod-eu"
 */
export function assertStackName(stack: string): void {
  const problem = !STACK_NAME.test(stack)
    ? 'cannot name every AWS resource the stacks build (some refuse uppercase letters or dots, and an underscore would give two stacks one SQL name)'
    : stack.length > MAX_STACK_NAME_LENGTH
      ? `is ${stack.length} characters long, and ${TIGHTEST.name} (${TIGHTEST.of}) would exceed AWS's limit of ${TIGHTEST.limit}`
      : undefined;
  if (problem === undefined) return;
  throw new Error(
    `stack name "${stack}" ${problem}: a stack name must be lowercase letters, digits and single hyphens, ` +
      `start with a letter and be at most ${MAX_STACK_NAME_LENGTH} characters, for example "${suggestionFor(stack)}" ` +
      `(create the stack under such a name with "pulumi stack init <name>")`,
  );
}

/** The prefixes of a stack's resource names. */
export interface ResourcePrefixes {
  /** `twitch-pipeline-<stack>`, for AWS resource names. */
  prefix: string;
  /** `twitch_pipeline_<stack>` with underscores, for the names Athena SQL uses unquoted. */
  sqlPrefix: string;
}

/**
 * The name prefixes of a stack, after {@link assertStackName}. A checked name holds no
 * underscore and no uppercase letter, so replacing its hyphens by underscores maps two stack
 * names to two SQL names: `prod-eu` and `prod_eu` (or `Prod` and `prod`) can no longer share one
 * Glue database, DynamoDB table or Athena data catalog.
 *
 * @example
 * resourcePrefixes('prod-eu'); // { prefix: 'twitch-pipeline-prod-eu', sqlPrefix: 'twitch_pipeline_prod_eu' }
 */
export function resourcePrefixes(stack: string): ResourcePrefixes {
  assertStackName(stack);
  const prefix = `${NAME_PREFIX}${stack}`;
  return { prefix, sqlPrefix: prefix.replaceAll('-', '_') };
}
