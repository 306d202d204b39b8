import '../product-allocator';
import { copyObjects, copyToOneFile, layerObjects } from './output-floor';

// Child process of floor-ratio.ts: a copy it sets against the steps, in a process of its own, as
// the steps run in theirs (run-cycle.ts). A process that has already run DuckDB can hold pages its
// allocator hands out again without a page fault: the floor's COPY, timed in the process that had
// just generated the bronze, faulted 293-647 k pages and took 4.9-8.7 s from one run to the next
// (docs/benchmarks.md). `warm` times the COPY a second time in one process, for what it costs
// there. Run with DUCKDB_JE_MALLOC_CONF empty, DuckDB keeps its own allocator settings. Prints one
// JSON line.
// Usage: copy-process.ts floor <lake-directory> <plain|reusing|warm> <output-file>
//        copy-process.ts layer <lake-directory> <raw|silver|gold>
const [mode, lake, option, output] = process.argv.slice(2);
if (!lake || !option || (mode === 'floor' && !output) || (mode !== 'floor' && mode !== 'layer')) {
  throw new Error('usage: copy-process.ts floor <lake> <plain|reusing|warm> <file> | layer <lake> <raw|silver|gold>');
}

if (mode === 'layer') {
  console.log(JSON.stringify(await copyObjects(await layerObjects(lake, option))));
} else {
  // `reusing` takes the floor on an engine that keeps freed blocks, as gold's does.
  const bronze = await layerObjects(lake, 'raw');
  if (option === 'warm') await copyToOneFile(bronze, output!);
  console.log(JSON.stringify(await copyToOneFile(bronze, output!, { reuseFreedBlocks: option === 'reusing' })));
}
