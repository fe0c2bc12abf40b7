import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkConfig,
  getPreset,
  intakeBook,
  PRESETS,
  parseDay,
  scoreBook,
  type TierwiseConfig,
  TierwiseError,
} from '../../shared';
import { EXAMPLE_ROWS } from '../helpers/org';

// Issue 10: the configuration checker over random and adversarial JSON. It answers with its own
// problems (a field path and a message) and never throws, hangs or lets through a configuration that
// then fails to score.
const asOf = parseDay('2024-06-30')!;
const [header, ...rows] = EXAMPLE_ROWS;
const customers = intakeBook({ header, rows, firstRowNumber: 2 }, { asOf }).customers;

/** Values a careless or hostile editor might put anywhere. */
const nasty = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.constantFrom(
    1e308,
    -1e308,
    4294967294,
    Number.MAX_SAFE_INTEGER + 2,
    -0,
    '',
    ' ',
    '<!channel>',
    '👩‍👩‍👧‍👦'.repeat(300),
    'x'.repeat(1_001),
    '__proto__',
    'constructor',
    null,
    [],
    {},
    [null, null],
    [5, 1],
  ),
  fc.integer({ min: 0, max: 40 }).map((depth) => {
    let value: unknown = 1;
    for (let i = 0; i < depth; i++) value = [value];
    return value;
  }),
);

/** A preset with one field, anywhere in it, replaced (or added) by a nasty value. */
const mutated = fc
  .tuple(
    fc.constantFrom(...PRESETS.map((p) => p.name)),
    fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
    nasty,
    fc.string({ maxLength: 12 }),
  )
  .map(([name, choices, value, newKey]) => {
    const config = getPreset(name)! as unknown as Record<string, unknown>;
    let node: Record<string, unknown> | unknown[] = config;
    for (let i = 0; i < choices.length; i++) {
      const keys = Object.keys(node);
      const last = i === choices.length - 1 || keys.length === 0;
      const key =
        keys.length === 0 || (last && choices[i] % 5 === 0) ? newKey : keys[choices[i] % keys.length];
      const child = (node as Record<string, unknown>)[key];
      if (last || typeof child !== 'object' || child === null) {
        (node as Record<string, unknown>)[key] = value;
        break;
      }
      node = child as Record<string, unknown>;
    }
    return config;
  });

function expectOwnAnswer(input: unknown): void {
  const check = checkConfig(input);
  expect(typeof check.valid).toBe('boolean');
  expect(check.valid).toBe(check.errors.length === 0);
  for (const problem of check.errors) {
    expect(typeof problem.path).toBe('string');
    expect(problem.message.length).toBeGreaterThan(0);
    expect(problem.message.length).toBeLessThan(2_000);
  }
  expect(check.uncovered.length).toBeLessThanOrEqual(100);
  if (!check.valid) return;
  // A configuration the checker accepts scores a real book: tiers in range or untiered, never a throw.
  const book = scoreBook(customers, input as TierwiseConfig, { asOf });
  for (const t of book.tier) expect(t >= -1 && t < (input as TierwiseConfig).tiers.length).toBe(true);
}

describe('checkConfig over hostile input', () => {
  it('answers any JSON value with its own problems', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), expectOwnAnswer), { numRuns: 300 });
  });

  it('answers any single-field mutation of every preset, and scores what it accepts', () => {
    fc.assert(
      fc.property(mutated, (config) => {
        try {
          expectOwnAnswer(config);
        } catch (error) {
          // Scoring may refuse a configuration the checker cannot judge alone (a column the book
          // lacks), but only with the core's own error.
          if (!(error instanceof TierwiseError)) throw error;
        }
      }),
      { numRuns: 400 },
    );
  });

  it('reads a metric named after an Object property ("constructor", "__proto__") as a name', () => {
    // Found by the mutation property above (seed 1096980009): "constructor" reached Object's own
    // constructor instead of a metric and crashed scoring.
    let tried = 0;
    const renameMetrics = (node: unknown, to: string): void => {
      if (typeof node !== 'object' || node === null) return;
      for (const [key, child] of Object.entries(node)) {
        if (key === 'metric' && typeof child === 'string') {
          (node as Record<string, unknown>)[key] = to;
          tried++;
        } else renameMetrics(child, to);
      }
    };
    for (const { name } of PRESETS)
      for (const to of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
        const config = getPreset(name)!;
        renameMetrics(config, to);
        try {
          expectOwnAnswer(config);
        } catch (error) {
          if (!(error instanceof TierwiseError)) throw error;
        }
      }
    expect(tried).toBeGreaterThan(0);
  });

  it('answers declared inputs of any size, and rules over them, in bounded work', () => {
    const bound = fc.oneof(
      fc.integer({ min: -1e9, max: 1e9 }),
      fc.constantFrom(0, 4294967294, 3e7, 1e308, -1e308),
    );
    fc.assert(
      fc.property(
        bound,
        bound,
        fc.array(fc.tuple(fc.option(bound), fc.option(bound)), { minLength: 1, maxLength: 30 }),
        (min, max, ranges) => {
          const config = getPreset('rfm-segments')!;
          config.model = {
            kind: 'rules',
            inputs: { x: { min: Math.min(min, max), max: Math.max(min, max) } },
            rules: ranges.map(([lo, hi], i) => ({
              when: { x: [lo, hi] as [number | null, number | null] },
              is: config.tiers[i % config.tiers.length].key,
            })),
          };
          const check = checkConfig(config);
          expect(typeof check.valid).toBe('boolean');
          expect(check.uncovered.length).toBeLessThanOrEqual(100);
        },
      ),
      { numRuns: 300 },
    );
  });
});
