import { LocalEventQueue } from '../src/queue/local-event-queue';

// Receives 10 messages with a 1-second visibility timeout, acknowledges 4 of them, says so,
// and then idles until the test kills it with SIGKILL.
const queue = new LocalEventQueue(process.argv[2]!, { visibilityTimeoutSeconds: 1 });
const { messages } = await queue.receive({ maxMessages: 10 });
for (const message of messages.slice(0, 4)) await queue.delete(message.receiptHandle);
process.stdout.write(`${JSON.stringify(messages.slice(0, 4).map((message) => message.body))}\n`);
setInterval(() => undefined, 1000);
