import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderDataDictionary } from '../src/index';

describe('data dictionary', () => {
  it('docs/data-dictionary.md matches the schemas (run `npm run docs:dictionary` after a schema change)', () => {
    // prepare
    const committed = readFileSync(new URL('../../../docs/data-dictionary.md', import.meta.url), 'utf8');
    // act + assess
    expect(committed).toBe(renderDataDictionary());
  });

  it('documents every silver column with a meaning', () => {
    // act
    const text = renderDataDictionary();
    // assess
    expect(text).toContain("| `horas_assistidas` | DOUBLE | double | no | This sample's share of the estimated hours watched");
    expect(text).toContain('## gold_idiomas_periodo');
  });

  it('documents the columns of the alerts view, which query --list offers beside the lake and the real-time table', () => {
    // act
    const text = renderDataDictionary();
    // assess
    expect(text).toContain('## alerts\n');
    expect(text).toContain('| `rule` | VARCHAR | string | no | Name of the rule that fired |');
  });

  it('lists the dt partition column of every lake table, as the views and the Glue tables have it', () => {
    // act
    const sections = renderDataDictionary().split('\n## ').slice(1);
    const withPartition = sections.filter((section) => section.includes('\n| `dt` | DATE | string | no |')).map((section) => section.split('\n')[0]);
    // assess
    expect(withPartition).toHaveLength(sections.length - 2);
    expect(withPartition).not.toContain('realtime_events');
    expect(withPartition).not.toContain('alerts');
  });
});
