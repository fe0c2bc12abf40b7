/**
 * The marketing funnel (营销管道): Suspect → Prospect → Lead → Opportunity → Customer → Fan → Advocate.
 * A customer's stage is read from a stage column (names in English or Chinese, or 1–7); the funnel
 * preset turns it into a tier with the stage's content action, and the population summary counts how
 * many customers reached each stage and what share went on to the next.
 */

import type { BandsModel, TierModel } from './models';
import type { ScoredBook } from './score-book';

/**
 * The stages in funnel order (1 … 7), each by its English and its Chinese name.
 * One compact string, because the Apps Script bundle (loaded on every formula call) carries it.
 */
const STAGE_NAMES =
  'suspect 疑似客户|prospect 潜在客户|lead 线索|opportunity 商机|customer 客户|fan 粉丝|advocate 拥护者';

/** The attribute a stage column becomes, and the header names recognised as a stage column. */
export const STAGE_METRIC = 'stage';
export const STAGE_HEADERS = [
  'stage',
  'funnel_stage',
  'pipeline_stage',
  'lifecycle_stage',
  '阶段',
  '销售阶段',
];

let stageIndex: Map<string, number> | undefined;

/** A stage as a number 1 … 7 from its name ("Lead", "线索", "lead ") or its number; `null` otherwise. */
export function stageNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 1 && value <= 7 ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim().toLowerCase();
  if (/^[1-7]$/.test(text)) return Number(text);
  stageIndex ??= new Map(
    STAGE_NAMES.split('|').flatMap((names, i) => names.split(' ').map((n) => [n, i + 1] as const)),
  );
  return stageIndex.get(text) ?? null;
}

/** A bands model on the stage column is a funnel: its tiers, low to high, are the stages. */
export const isFunnelModel = (model: TierModel): model is BandsModel =>
  model.kind === 'bands' && model.axis.metric === STAGE_METRIC;

export interface FunnelStep {
  tier: string;
  label: string;
  /** Customers at this stage now. */
  customers: number;
  /** Customers at this stage or beyond: everyone who got this far. */
  reached: number;
  /** Of those who reached this stage, the share who reached the next; null for the last stage or none. */
  conversion: number | null;
}

/**
 * Conversion counts between the stages of a funnel model, in funnel order; `null` for other models.
 *
 * @example
 * funnelCounts(book) // [{ label: 'Suspect', customers: 40, reached: 100, conversion: 0.6 }, …]
 */
export function funnelCounts(book: ScoredBook): FunnelStep[] | null {
  const { model, tiers } = book.config;
  if (!isFunnelModel(model)) return null;
  const index = new Map(tiers.map((t, i) => [t.key, i]));
  const stageOfTier = new Int16Array(tiers.length).fill(-1);
  model.tiers.forEach((key, stage) => {
    const t = index.get(key);
    if (t !== undefined) stageOfTier[t] = stage;
  });
  const counts = new Float64Array(model.tiers.length);
  for (let i = 0; i < book.tier.length; i++) {
    const t = book.tier[i];
    if (t >= 0 && stageOfTier[t] >= 0) counts[stageOfTier[t]]++;
  }
  const reached = new Float64Array(counts.length);
  for (let s = counts.length - 1, sum = 0; s >= 0; s--) {
    sum += counts[s];
    reached[s] = sum;
  }
  return model.tiers.map((key, s) => ({
    tier: key,
    label: tiers[index.get(key) ?? 0]?.label ?? key,
    customers: counts[s],
    reached: reached[s],
    conversion: s + 1 < counts.length && reached[s] > 0 ? reached[s + 1] / reached[s] : null,
  }));
}
