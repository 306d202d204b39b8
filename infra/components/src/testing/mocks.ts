import * as pulumi from '@pulumi/pulumi';

/** A resource the program registered, with the inputs it was given and the state the mocks returned. */
export interface RecordedResource {
  type: string;
  name: string;
  id: string;
  // biome-ignore lint/suspicious/noExplicitAny: provider payloads are untyped; tests inspect them field by field
  inputs: Record<string, any>;
  // biome-ignore lint/suspicious/noExplicitAny: provider payloads are untyped; tests inspect them field by field
  state: Record<string, any>;
}

/** How to run a program under mocks. */
export interface MockedProgramOptions {
  project: string;
  stack: string;
  /** Config values by key without the project prefix (objects are JSON-encoded); `aws:` keys are kept as given. */
  config?: Record<string, unknown>;
  /** Config keys whose values are secrets. */
  secretKeys?: string[];
  /** Outputs each `pulumi.StackReference` returns, by stack name. */
  stackOutputs?: Record<string, Record<string, unknown>>;
  accountId?: string;
  region?: string;
}

/** The outcome of a mocked run: every registered resource and the program's resolved exports. */
export interface MockedProgram {
  resources: RecordedResource[];
  outputs: Record<string, unknown>;
  ofType(type: string): RecordedResource[];
  /** The single resource of a type (and logical name, when given); throws otherwise. */
  one(type: string, name?: string): RecordedResource;
}

function physicalState(args: pulumi.runtime.MockResourceArgs, account: string, region: string) {
  const { type, name, inputs } = args;
  const physical = String(inputs.name ?? `${name}-${type.split(':').pop()?.toLowerCase()}`);
  const service = type.split(':')[1]?.split('/')[0] ?? 'unknown';
  const generic = { id: `${physical}-id`, state: { ...inputs, name: physical, arn: `arn:aws:${service}:${region}:${account}:${physical}` } };
  switch (type) {
    case 'aws:s3/bucket:Bucket': {
      const bucket = String(inputs.bucket ?? `${name}-bucket`);
      return { id: bucket, state: { ...inputs, bucket, arn: `arn:aws:s3:::${bucket}` } };
    }
    case 'aws:sqs/queue:Queue': {
      const url = `https://sqs.${region}.amazonaws.com/${account}/${physical}`;
      return { id: url, state: { ...inputs, name: physical, url, arn: `arn:aws:sqs:${region}:${account}:${physical}` } };
    }
    case 'aws:lambda/function:Function': {
      const arn = `arn:aws:lambda:${region}:${account}:function:${physical}`;
      return { id: physical, state: { ...inputs, name: physical, arn, invokeArn: `${arn}/invocations` } };
    }
    case 'aws:iam/role:Role':
      return { id: physical, state: { ...inputs, name: physical, arn: `arn:aws:iam::${account}:role/${physical}` } };
    case 'aws:dynamodb/table:Table':
      return { id: physical, state: { ...inputs, arn: `arn:aws:dynamodb:${region}:${account}:table/${physical}` } };
    case 'aws:sns/topic:Topic': {
      const arn = `arn:aws:sns:${region}:${account}:${physical}`;
      return { id: arn, state: { ...inputs, name: physical, arn } };
    }
    case 'aws:sfn/stateMachine:StateMachine': {
      const arn = `arn:aws:states:${region}:${account}:stateMachine:${physical}`;
      return { id: arn, state: { ...inputs, name: physical, arn } };
    }
    case 'aws:kms/key:Key':
      return { id: `${name}-key-id`, state: { ...inputs, keyId: `${name}-key-id`, arn: `arn:aws:kms:${region}:${account}:key/${name}-key-id` } };
    case 'aws:cloudwatch/logGroup:LogGroup':
      return { id: physical, state: { ...inputs, name: physical, arn: `arn:aws:logs:${region}:${account}:log-group:${physical}` } };
    case 'aws:secretsmanager/secret:Secret':
      return { id: physical, state: { ...inputs, name: physical, arn: `arn:aws:secretsmanager:${region}:${account}:secret:${physical}-AbCdEf` } };
    default:
      return generic;
  }
}

/**
 * Runs a Pulumi program under unit-test mocks (no engine, no cloud) and records every
 * resource. Mocks are installed before `load` imports the program: a static import would be
 * hoisted above them and the program would run unmocked.
 *
 * @example
 * const program = await runMockedProgram({ project: 'twitch-pipeline-data', stack: 'dev' }, () => import('../index'));
 * program.ofType('aws:s3/bucket:Bucket').length; // 2
 */
export async function runMockedProgram(
  options: MockedProgramOptions,
  load: () => Promise<Record<string, unknown>>,
): Promise<MockedProgram> {
  const account = options.accountId ?? '123456789012';
  const region = options.region ?? 'sa-east-1';
  const resources: RecordedResource[] = [];
  const config: Record<string, string> = { 'aws:region': region };
  for (const [key, value] of Object.entries(options.config ?? {})) {
    const fullKey = key.includes(':') ? key : `${options.project}:${key}`;
    config[fullKey] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  pulumi.runtime.setAllConfig(
    config,
    (options.secretKeys ?? []).map((key) => (key.includes(':') ? key : `${options.project}:${key}`)),
  );

  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        if (args.type === 'pulumi:pulumi:StackReference') {
          const outputs = options.stackOutputs?.[String(args.inputs.name)] ?? {};
          return { id: String(args.inputs.name), state: { name: args.inputs.name, outputs, secretOutputNames: [] } };
        }
        const { id, state } = physicalState(args, account, region);
        resources.push({ type: args.type, name: args.name, id, inputs: args.inputs, state });
        return { id, state };
      },
      call(args) {
        switch (args.token) {
          case 'aws:index/getCallerIdentity:getCallerIdentity':
            return { accountId: account, arn: `arn:aws:iam::${account}:user/test`, userId: 'test', id: account };
          case 'aws:index/getRegion:getRegion':
            return { name: region, region, id: region, description: region, endpoint: `${region}.amazonaws.com` };
          case 'aws:index/getPartition:getPartition':
            return { partition: 'aws', dnsSuffix: 'amazonaws.com', id: 'aws', reverseDnsPrefix: 'com.amazonaws' };
          default:
            return args.inputs;
        }
      },
    },
    options.project,
    options.stack,
    false,
  );

  const program = await load();
  const outputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(program)) {
    outputs[key] = pulumi.Output.isInstance(value) ? await resolve(value) : value;
  }
  // Registrations whose inputs were still resolving continue after the exports settle.
  await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();

  return {
    resources,
    outputs,
    ofType: (type) => resources.filter((resource) => resource.type === type),
    one(type, name) {
      const found = resources.filter((resource) => resource.type === type && (name === undefined || resource.name === name));
      if (found.length !== 1) throw new Error(`expected one ${type}${name ? ` named ${name}` : ''}, found ${found.length}`);
      return found[0]!;
    },
  };
}

/**
 * The value of an output, once known.
 *
 * @example
 * const arn = await resolve(bucket.arn);
 */
export function resolve<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((done) => output.apply((value) => done(value)));
}

/** Key and value Pulumi marks a serialised secret with. */
const SECRET_SIGNATURE = { key: '4dabf18193072939515e22adb298388d', value: '1b47061264138c4ac30d75fd1eb44270' };

/**
 * True when a recorded input is a Pulumi secret (stored encrypted in the state, masked in plans).
 *
 * @example
 * isSecretInput(program.one('aws:secretsmanager/secretVersion:SecretVersion').inputs.secretString); // true
 */
export function isSecretInput(value: unknown): value is { value: unknown } {
  return typeof value === 'object' && value !== null && (value as Record<string, unknown>)[SECRET_SIGNATURE.key] === SECRET_SIGNATURE.value;
}
