// Preloaded with `node --require` into a CLI process: each time a thread loads DuckDB's native
// library, it adds the allocator variable as it is at that moment, as JSON (null when unset),
// to DUCKDB_LOAD_ENVIRONMENT_FILE, one line a load. The allocator reads it when the library loads.
const { appendFileSync } = require('node:fs');

const dlopen = process.dlopen;
process.dlopen = function (module, filename, ...rest) {
  if (/duckdb/i.test(filename)) {
    appendFileSync(process.env.DUCKDB_LOAD_ENVIRONMENT_FILE, `${JSON.stringify(process.env.DUCKDB_JE_MALLOC_CONF ?? null)}\n`);
  }
  return dlopen.call(this, module, filename, ...rest);
};
