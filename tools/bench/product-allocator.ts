// Imported first by every benchmark that runs DuckDB in its own process: DuckDB's allocator reads
// its settings once, when the library loads, so they are set here, before any other import loads
// it, as the command's launcher and the Lambda functions set them (libs/duckdb/src/
// allocator-environment.ts). Child processes inherit them. To time DuckDB's own settings instead,
// run the benchmark with DUCKDB_JE_MALLOC_CONF set to an empty value.
import { applyAllocatorEnvironment } from '@twitch-pipeline/duckdb/allocator-environment';

applyAllocatorEnvironment();
