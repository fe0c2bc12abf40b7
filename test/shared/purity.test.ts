import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The core runs unchanged in Node, Apps Script and browsers: shared/tsconfig.json gives it no Node or
// DOM types, and this test catches what the ECMAScript library still allows but a pure core must not use.
const FORBIDDEN: [RegExp, string][] = [
  [/\bDate\.now\(/, 'reads the clock: pass asOf in'],
  [/new Date\(\s*\)/, 'reads the clock: pass asOf in'],
  [/\bMath\.random\(/, 'is not deterministic: pass a seeded generator in'],
  [/\bglobalThis\b/, 'reaches for globals'],
  [/\bfrom '(node:|fs|path|os|crypto)/, 'imports Node'],
  [/\bconsole\./, 'writes output: return it instead'],
];

describe('shared/ is pure', () => {
  const dir = new URL('../../shared/', import.meta.url);
  const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
  it.each(files)('%s', (file) => {
    const source = readFileSync(new URL(file, dir), 'utf8');
    const found = FORBIDDEN.filter(([pattern]) => pattern.test(source)).map(([p, why]) => `${p}: ${why}`);
    expect(found).toEqual([]);
  });
});
