import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One AWS JSON-protocol call the stub answered: the `X-Amz-Target` operation and its body. */
export interface StubCall {
  target: string;
  body: Record<string, unknown>;
}

/**
 * An error as an AWS JSON-protocol service answers it: the HTTP status, the `__type` the SDK
 * names its exception after, and the message.
 */
export interface AwsErrorAnswer {
  status: number;
  type: string;
  message?: string;
}

/** A loopback endpoint answering SQS `SendMessageBatch` and Parameter Store reads of the credentials. */
export interface AwsJsonStub {
  /** `http://127.0.0.1:<port>`: a queue URL on it, or `AWS_ENDPOINT_URL_SSM`. */
  endpoint: string;
  /** Every call, in arrival order. */
  calls: StubCall[];
  /** The message bodies of every `SendMessageBatch`, in arrival order. */
  sentBodies(): string[];
  /** How many times a parameter value was read. */
  parameterReads(): number;
  close(): Promise<void>;
}

interface SendEntry {
  Id: string;
  MessageBody: string;
}

async function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
}

function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/**
 * Starts a stand-in for the two AWS JSON-protocol calls the functions make that no emulator on npm
 * serves: SQS `SendMessageBatch` (every entry accepted, with the body MD5 the SDK verifies), and
 * the given secret values by name or ARN, as SSM SecureString parameters (`GetParameter`). A
 * parameter given an {@link AwsErrorAnswer} is answered with that error instead, as SSM answers
 * a read it refuses (`ParameterNotFound`, `AccessDeniedException`, a throttle). Any other
 * operation gets a 400 naming it, so a bundle that starts calling something new fails loudly.
 *
 * @example
 * const stub = await startAwsJsonStub({
 *   [secretArn]: '{"client_id":"a","client_secret":"b"}',
 *   [missingArn]: { status: 400, type: 'ParameterNotFound' },
 * });
 * const queueUrl = `${stub.endpoint}/123456789012/events`;
 */
export async function startAwsJsonStub(secrets: Record<string, string | AwsErrorAnswer> = {}): Promise<AwsJsonStub> {
  const calls: StubCall[] = [];
  const server = createServer((request, response) => {
    readBody(request)
      .then((body) => {
        const target = String(request.headers['x-amz-target'] ?? '');
        calls.push({ target, body });
        const reply = (status: number, payload: unknown) => {
          response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID() });
          response.end(JSON.stringify(payload));
        };
        if (target === 'AmazonSQS.SendMessageBatch') {
          const entries = body.Entries as SendEntry[];
          reply(200, { Successful: entries.map((entry) => ({ Id: entry.Id, MessageId: randomUUID(), MD5OfMessageBody: md5(entry.MessageBody) })), Failed: [] });
        } else if (target === 'AmazonSSM.GetParameter' && typeof body.Name === 'string' && typeof secrets[body.Name] === 'string') {
          reply(200, { Parameter: { Name: body.Name, ARN: body.Name, Type: 'SecureString', Value: secrets[body.Name], Version: 1, DataType: 'text' } });
        } else if (target === 'AmazonSSM.GetParameter' && typeof body.Name === 'string' && typeof secrets[body.Name] === 'object') {
          const { status, type, message } = secrets[body.Name] as AwsErrorAnswer;
          reply(status, { __type: type, message });
        } else {
          reply(400, { __type: 'UnknownOperationException', message: `the stub does not answer ${target || 'this request'}` });
        }
      })
      .catch((error: unknown) => {
        response.writeHead(500);
        response.end(String(error));
      });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    sentBodies: () =>
      calls.filter((call) => call.target === 'AmazonSQS.SendMessageBatch').flatMap((call) => (call.body.Entries as SendEntry[]).map((entry) => entry.MessageBody)),
    parameterReads: () => calls.filter((call) => call.target === 'AmazonSSM.GetParameter').length,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((done, fail) => server.close((error) => (error ? fail(error) : done())));
    },
  };
}
