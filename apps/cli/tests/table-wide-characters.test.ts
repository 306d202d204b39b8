import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { formatTable } from '../src/cli/table';

/** Where each `│` of a printed line sits, in terminal columns. */
function barColumns(line: string): number[] {
  const columns: number[] = [];
  let at = 0;
  for (const { segment } of new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(line)) {
    if (segment === '│') columns.push(at);
    at += stringWidth(segment);
  }
  return columns;
}

describe('formatTable with the whole platform\'s names', () => {
  it('keeps its columns in line across wide, combined and emoji characters', () => {
    // prepare: Chinese, Japanese, Korean, Thai with combining marks, a decomposed accent, emoji and plain text
    const names = ['王者荣耀主播', 'ドラゴンクエストX', '메이플스토리', 'สวัสดีครับ', 'Zo\u0308e', '👨‍👩‍👧 família', 'gaules'];
    const result = { columns: ['nome', 'espectadores'], rows: names.map((name, index) => [name, 1000 * index]) };

    // act
    const lines = formatTable(result).split('\n').filter((line) => line.startsWith('│'));

    // assess
    const expected = barColumns(lines[0]!);
    for (const line of lines) expect(barColumns(line), line).toEqual(expected);
  });

  it('keeps its columns in line when a cell or a header starts with a lone emoji modifier or combining mark', () => {
    // prepare: each joins the space printed before it into one character
    const result = { columns: ['🏽', 'b'], rows: [['🏿 tone', 1], ['\u0301accent', 22], ['plain', 333]] };

    // act
    const lines = formatTable(result).split('\n').filter((line) => line.startsWith('│'));

    // assess
    const expected = barColumns(lines[0]!);
    for (const line of lines) expect(barColumns(line), line).toEqual(expected);
  });

  it('cuts a long cell between whole characters, never inside an emoji, a flag or an accented letter', () => {
    // prepare
    const cells = ['😀'.repeat(30), '👍🏽'.repeat(30), '🇧🇷'.repeat(30), 'e\u0301'.repeat(60)];
    const result = { columns: ['t'], rows: cells.map((cell) => [cell]) };

    // act
    const shown = formatTable(result)
      .split('\n')
      .filter((line) => line.startsWith('│'))
      .slice(1)
      .map((line) => line.slice(2, line.lastIndexOf('│')).trimEnd());

    // assess: each is whole repeats of its unit, then the ellipsis, at most 48 columns wide
    cells.forEach((cell, index) => {
      const unit = [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(cell)][0]!.segment;
      expect(shown[index]).toMatch(new RegExp(`^(?:${unit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})+…$`, 'u'));
      expect(shown[index]).not.toContain('\uFFFD');
      expect(stringWidth(shown[index]!)).toBeLessThanOrEqual(48);
    });
  });
});
