/**
 * Where customers move between the saved configuration and the draft: a from-tier × to-tier table of
 * customers and revenue. Pure (no DOM), so it is tested in node at full size.
 */

import type { ScoredBook } from '../../shared';

export interface TierHead {
  /** null: the customers no tier could take. */
  key: string | null;
  label: string;
}

export interface Movement {
  from: TierHead[];
  to: TierHead[];
  /** customers[i][j]: customers in tier `from[i]` before and `to[j]` after. */
  customers: number[][];
  revenue: number[][];
  moved: { customers: number; revenue: number };
  total: { customers: number; revenue: number };
}

export interface Move {
  from: TierHead;
  to: TierHead;
  customers: number;
  revenue: number;
}

/** Both books must score the same customers (the sheet's), in the same order. */
export function movement(before: ScoredBook, after: ScoredBook, untieredLabel: string): Movement {
  const heads = (book: ScoredBook): TierHead[] => [
    ...book.config.tiers.map((t) => ({ key: t.key, label: t.label })),
    { key: null, label: untieredLabel },
  ];
  const from = heads(before);
  const to = heads(after);
  const customers = from.map(() => new Array<number>(to.length).fill(0));
  const revenue = from.map(() => new Array<number>(to.length).fill(0));
  const moved = { customers: 0, revenue: 0 };
  const total = { customers: 0, revenue: 0 };
  const slot = (tier: number, heads: TierHead[]): number => (tier < 0 ? heads.length - 1 : tier);
  for (let i = 0; i < after.customers.length; i++) {
    const a = slot(before.tier[i], from);
    const b = slot(after.tier[i], to);
    const spend = after.customers[i].totalSpend;
    customers[a][b]++;
    revenue[a][b] += spend;
    total.customers++;
    total.revenue += spend;
    if (from[a].key !== to[b].key) {
      moved.customers++;
      moved.revenue += spend;
    }
  }
  // The "no tier" row and column only when someone is in them.
  const keepFrom = from.map((_, i) => i < from.length - 1 || customers[i].some((n) => n > 0));
  const keepTo = to.map((_, j) => j < to.length - 1 || customers.some((row) => row[j] > 0));
  const pick = <T>(rows: T[][]): T[][] =>
    rows.filter((_, i) => keepFrom[i]).map((row) => row.filter((_, j) => keepTo[j]));
  return {
    from: from.filter((_, i) => keepFrom[i]),
    to: to.filter((_, j) => keepTo[j]),
    customers: pick(customers),
    revenue: pick(revenue),
    moved,
    total,
  };
}

/** The moves between different tiers, largest revenue first. */
export function largestMoves(m: Movement): Move[] {
  const moves: Move[] = [];
  m.from.forEach((from, i) => {
    m.to.forEach((to, j) => {
      if (from.key !== to.key && m.customers[i][j] > 0)
        moves.push({ from, to, customers: m.customers[i][j], revenue: m.revenue[i][j] });
    });
  });
  return moves.sort((x, y) => y.revenue - x.revenue || y.customers - x.customers);
}
