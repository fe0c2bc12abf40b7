/**
 * Rules over discrete inputs (the r, f, m scores, or inputs declared with a min and a max) seen as a
 * grid of cells, each holding the tier the first matching rule gives it. The manager paints cells;
 * `rulesOf` turns the painted grid back into a short list of first-match rules that gives every cell
 * exactly the painted tier. Pure: no DOM, so it is tested in node.
 */

import type { Range, Rule } from '../../shared';

/** One axis of the grid: a metric and its possible values, low to high. */
export interface Dim {
  metric: string;
  values: number[];
}

/** Beyond this many cells a grid is no longer something to paint (and `rulesOf` would get slow). */
export const MAX_GRID_CELLS = 256;

/**
 * The grid's axes, or null when the rules use a metric with no discrete range. The scores always give
 * R × F (and M when a rule uses it), so a manager can paint on them even when rules ignore one.
 */
export function gridDims(
  rules: readonly Rule[],
  inputs: Record<string, { min: number; max: number }> | undefined,
  scale: number,
): Dim[] | null {
  const used = new Set<string>();
  for (const rule of rules) for (const metric of Object.keys(rule.when)) used.add(metric);
  const span = (min: number, max: number): number[] =>
    Array.from({ length: Math.floor(max) - Math.ceil(min) + 1 }, (_, i) => Math.ceil(min) + i);
  const scores = ['r', 'f', 'm'].filter((m) => used.has(m) || (m !== 'm' && !inputs));
  const dims: Dim[] = scores.map((metric) => ({ metric, values: span(1, scale) }));
  for (const metric of used) {
    if (scores.includes(metric)) continue;
    const domain = inputs?.[metric];
    if (!domain) return null;
    dims.push({ metric, values: span(domain.min, domain.max) });
  }
  if (dims.length === 0) return null;
  const cells = dims.reduce((n, d) => n * d.values.length, 1);
  return cells > 0 && cells <= MAX_GRID_CELLS ? dims : null;
}

export const cellCount = (dims: readonly Dim[]): number => dims.reduce((n, d) => n * d.values.length, 1);

/** The value indexes of cell `index` (the last axis varies fastest). */
export function cellAt(dims: readonly Dim[], index: number): number[] {
  const at = new Array<number>(dims.length);
  for (let d = dims.length - 1; d >= 0; d--) {
    at[d] = index % dims[d].values.length;
    index = Math.floor(index / dims[d].values.length);
  }
  return at;
}

export function indexOf(dims: readonly Dim[], at: readonly number[]): number {
  let index = 0;
  for (let d = 0; d < dims.length; d++) index = index * dims[d].values.length + at[d];
  return index;
}

const holds = (value: number, [min, max]: Range): boolean =>
  (min === null || value >= min) && (max === null || value <= max);

/** The index of the first rule that matches the cell at `at`, or -1. */
function firstRule(rules: readonly Rule[], dims: readonly Dim[], at: readonly number[]): number {
  return rules.findIndex((r) =>
    Object.entries(r.when).every(([metric, range]) => {
      const d = dims.findIndex((dim) => dim.metric === metric);
      return d >= 0 && holds(dims[d].values[at[d]], range);
    }),
  );
}

/** The tier index (into `tierKeys`) of every cell; -1 where no rule matches (a coverage gap). */
export function cellsOf(
  rules: readonly Rule[],
  dims: readonly Dim[],
  tierKeys: readonly string[],
): Int16Array {
  const cells = new Int16Array(cellCount(dims));
  for (let i = 0; i < cells.length; i++) {
    const k = firstRule(rules, dims, cellAt(dims, i));
    cells[i] = k < 0 ? -1 : tierKeys.indexOf(rules[k].is);
  }
  return cells;
}

type Box = [number, number][];

/** Every box of the grid: one interval of value indexes per axis. */
function allBoxes(dims: readonly Dim[]): Box[] {
  let boxes: Box[] = [[]];
  for (const dim of dims) {
    const next: Box[] = [];
    for (const box of boxes)
      for (let lo = 0; lo < dim.values.length; lo++)
        for (let hi = lo; hi < dim.values.length; hi++) next.push([...box, [lo, hi]]);
    boxes = next;
  }
  return boxes;
}

function forEachIn(dims: readonly Dim[], box: Box, visit: (index: number) => boolean): void {
  const at = box.map(([lo]) => lo);
  for (;;) {
    if (!visit(indexOf(dims, at))) return;
    let d = dims.length - 1;
    while (d >= 0 && at[d] === box[d][1]) {
      at[d] = box[d][0];
      d--;
    }
    if (d < 0) return;
    at[d]++;
  }
}

/**
 * First-match rules that give every cell its tier, greedily: each rule is the box that takes the most
 * cells not yet taken, all of one tier (cells earlier rules took may lie inside it, since the first
 * match wins). So every rule wins at least one cell, and gaps (-1) stay gaps. An axis a box spans
 * whole is left out of the rule's `when`.
 */
export function rulesOf(cells: Int16Array, dims: readonly Dim[], tierKeys: readonly string[]): Rule[] {
  const taken = new Uint8Array(cells.length);
  let left = cells.reduce((n, t) => n + (t >= 0 ? 1 : 0), 0);
  const boxes = allBoxes(dims);
  const rules: Rule[] = [];
  while (left > 0) {
    let best: { box: Box; tier: number; fresh: number; size: number } | null = null;
    for (const box of boxes) {
      let tier = -1;
      let fresh = 0;
      let size = 0;
      let fits = true;
      forEachIn(dims, box, (i) => {
        size++;
        if (taken[i]) return true;
        if (cells[i] < 0 || (tier >= 0 && cells[i] !== tier)) {
          fits = false;
          return false;
        }
        tier = cells[i];
        fresh++;
        return true;
      });
      if (fits && fresh > 0 && (!best || fresh > best.fresh || (fresh === best.fresh && size > best.size)))
        best = { box, tier, fresh, size };
    }
    if (!best) break; // unreachable: a single untaken cell is always a fitting box
    const when: Record<string, Range> = {};
    best.box.forEach(([lo, hi], d) => {
      if (lo > 0 || hi < dims[d].values.length - 1)
        when[dims[d].metric] = [dims[d].values[lo], dims[d].values[hi]];
    });
    rules.push({ when, is: tierKeys[best.tier] });
    forEachIn(dims, best.box, (i) => {
      taken[i] = 1;
      return true;
    });
    left -= best.fresh;
  }
  return rules;
}

/** Which rules win no cell (shadowed by earlier ones), by index. */
export function idleRules(rules: readonly Rule[], dims: readonly Dim[]): number[] {
  const wins = new Array<number>(rules.length).fill(0);
  for (let i = 0; i < cellCount(dims); i++) {
    const k = firstRule(rules, dims, cellAt(dims, i));
    if (k >= 0) wins[k]++;
  }
  return wins.flatMap((n, k) => (n === 0 ? [k] : []));
}
