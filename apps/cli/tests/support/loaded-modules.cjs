// Preloaded with `node --require` into a CLI process: on exit it writes the path of every CommonJS
// module the process loaded (the AWS SDK and X-Ray ship as CommonJS) to LOADED_MODULES_FILE.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  writeFileSync(process.env.LOADED_MODULES_FILE, Object.keys(require.cache).join('\n'));
});
