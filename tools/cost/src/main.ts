import { estimate, writeTablesToDoc } from './estimate';
import { biggestItems, costTable } from './monthly-cost';

// Prints the monthly estimate of both workloads; with --write, also rewrites the deploy guide's tables.
for (const name of ['original', 'full-platform'] as const) {
  const items = estimate(name);
  console.log(`\n${name}\n\n${costTable(items)}\n`);
  console.log(`biggest: ${biggestItems(items).map((item) => `${item.item} $${item.listCost.toFixed(2)}`).join(', ')}`);
}
if (process.argv.includes('--write')) writeTablesToDoc();
