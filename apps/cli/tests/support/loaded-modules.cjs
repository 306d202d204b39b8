// Preloaded with `node --require` into a CLI process: on exit it adds the path of every CommonJS
// module the process loaded (the AWS SDK and X-Ray ship as CommonJS) to LOADED_MODULES_FILE, one
// path a line, after a `# thread <id>` line. Worker threads run it too, each for its own module
// cache, so the file holds the modules of every thread.
const { appendFileSync } = require('node:fs');
const { threadId } = require('node:worker_threads');

process.on('exit', () => {
  appendFileSync(process.env.LOADED_MODULES_FILE, `# thread ${threadId}\n${Object.keys(require.cache).join('\n')}\n`);
});
