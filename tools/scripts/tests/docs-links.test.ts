import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import GithubSlugger from 'github-slugger';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The committed Markdown files, relative to the root. */
const MARKDOWN = execFileSync('git', ['ls-files', '*.md'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);

/** Code blocks hold examples, not links or headings. */
const withoutCode = (text: string) => text.replace(/^```[\s\S]*?^```/gm, '');

/** The anchors GitHub gives a file's headings (a repeated heading gets `-1`, `-2`, …). */
function anchorsOf(text: string): Set<string> {
  const slugger = new GithubSlugger();
  const anchors = new Set<string>();
  for (const [, heading] of withoutCode(text).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    // GitHub slugs a heading's text as shown: a link keeps its words, emphasis and code marks go.
    anchors.add(slugger.slug(heading!.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[`*]/g, '')));
  }
  return anchors;
}

/** Every relative link of `file` whose file or heading does not exist. */
function brokenLinks(file: string, anchors: Map<string, Set<string>>): string[] {
  const broken: string[] = [];
  for (const [, target] of withoutCode(readFileSync(join(ROOT, file), 'utf8')).matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/i.test(target!)) continue;
    const [path, fragment] = target!.split('#') as [string, string | undefined];
    const linked = path ? normalize(join(dirname(file), path)) : file;
    if (path && !existsSync(join(ROOT, linked))) broken.push(`${file}: ${target} (no such file)`);
    else if (fragment && linked.endsWith('.md') && !anchors.get(linked)?.has(decodeURIComponent(fragment))) {
      broken.push(`${file}: ${target} (no such heading)`);
    }
  }
  return broken;
}

describe('the documentation', () => {
  it('links only to files and headings that exist', () => {
    // prepare
    const anchors = new Map(MARKDOWN.map((file) => [file, anchorsOf(readFileSync(join(ROOT, file), 'utf8'))]));

    // act
    const broken = MARKDOWN.flatMap((file) => brokenLinks(file, anchors));

    // assess
    expect(MARKDOWN.length).toBeGreaterThan(5);
    expect(broken).toEqual([]);
  });

  it('slugs headings as GitHub does, so a link to a renamed heading is caught', () => {
    // act
    const anchors = anchorsOf('# Set up and test\n## `gold_canais_hora` (hours)\n## Set up and test\n```\n# not a heading\n```');

    // assess
    expect([...anchors]).toEqual(['set-up-and-test', 'gold_canais_hora-hours', 'set-up-and-test-1']);
  });
});
