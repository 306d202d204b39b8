import { writeFileSync } from 'node:fs';
import { renderDataDictionary } from '@twitch-pipeline/schemas';

writeFileSync(new URL('../../docs/data-dictionary.md', import.meta.url), renderDataDictionary());
console.log('wrote docs/data-dictionary.md');
