import {
  ALL_COUNT_MODELS,
  checkConfig,
  clvPredictions,
  customerAction,
  type Day,
  DEFAULT_PRESET,
  describeCheck,
  getPreset,
  isoDate,
  modelMetrics,
  PRESETS,
  type Predictions,
  predictClv,
  type ScoredBook,
  scoreBook,
  summarizePopulation,
  type TierwiseConfig,
  TierwiseError,
} from '../../shared';
import { loadBook } from '../book';
import { type Cell, type CliIo, intakeJson, readJsonFile, reportRejected, toTextTable } from '../io';
import { asOfFrom, type Flags, formatFrom, unitFrom } from '../options';
import { LineWriter, resultObject, writeJsonWithArray, writeResultCsv } from '../rows';
import { clvOptionsFrom, describeClv } from './clv';

/** `--config FILE` (checked) or `--preset NAME`, defaulting to the RFM segments. */
export function configFrom(flags: Flags): TierwiseConfig {
  if (flags.config && flags.preset) throw new TierwiseError('choose one of --config and --preset');
  if (flags.config) {
    const json = readJsonFile(flags.config);
    const check = checkConfig(json);
    if (!check.valid) {
      throw new TierwiseError(
        `${flags.config} is not a usable configuration:\n  ${describeCheck(check).join('\n  ')}`,
      );
    }
    return check.config;
  }
  const name = flags.preset ?? DEFAULT_PRESET;
  const preset = getPreset(name);
  if (!preset) {
    throw new TierwiseError(`no preset "${name}"; choose one of ${PRESETS.map((p) => p.name).join(', ')}`);
  }
  return preset;
}

/** tierwise score FILE --as-of DATE [--config FILE | --preset NAME] [--json|--csv] */
export function score(file: string, flags: Flags, io: CliIo): number {
  const asOf = asOfFrom(flags);
  const config = configFrom(flags);
  const format = formatFrom(flags);
  const unit = unitFrom(flags);
  const book = loadBook(file, flags, asOf, unit, io);
  const predictions =
    flags.clv || usesPredictions(config) ? clvFor(book.customers, flags, asOf, io) : undefined;
  const scored = scoreBook(book.customers, config, { asOf, predictions });
  const out = new LineWriter(io.stdout);
  if (format === 'json') {
    writeJsonWithArray(
      out,
      { asOf: isoDate(asOf), config: config.name },
      'customers',
      scored.customers.length,
      (i) => resultObject(scored, i, unit),
      { population: summarizePopulation(scored), ...intakeJson(book) },
    );
  } else if (format === 'csv') {
    writeResultCsv(scored, unit, out);
  } else {
    io.stdout(toTextTable(briefRows(scored)));
    io.stdout(`\n${populationText(scored)}`);
  }
  return reportRejected(io, file, book.rejected) ? 2 : 0;
}

/** The text view: tier by tier, soonest contact first, without the reasons. */
function briefRows(scored: ScoredBook): Record<string, Cell>[] {
  const actions = scored.customers.map((_, i) => customerAction(scored, i));
  const byTierThenDue = (i: number, j: number): number =>
    tierRank(scored.tier[i]) - tierRank(scored.tier[j]) ||
    byDue(actions[i].nextContactDue, actions[j].nextContactDue);
  const order = actions.map((_, i) => i).sort(byTierThenDue);
  return order.map((i) => {
    const a = actions[i];
    const due = a.nextContactDue === null ? null : isoDate(a.nextContactDue);
    return {
      customer_id: a.customerId,
      tier: a.tierLabel,
      segment: a.segment,
      rfm: `${a.r}${a.f}${a.m}`,
      spend: Math.round(scored.customers[i].totalSpend * 100) / 100,
      due: a.overdue ? `${due} (overdue)` : due,
      nextAction: a.nextAction,
    };
  });
}

/** Soonest first; customers with no due day (contacted only on request) sort first, as they always have. */
const byDue = (a: Day | null, b: Day | null): number =>
  a === null ? (b === null ? 0 : -1) : b === null ? 1 : a - b;

const PREDICTED = new Set(['clv', 'pAlive', 'expectedPurchases']);

/** A model that reads CLV figures needs them computed first. */
const usesPredictions = (config: TierwiseConfig): boolean =>
  modelMetrics(config.model).some((metric) => PREDICTED.has(metric));

function clvFor(
  customers: Parameters<typeof predictClv>[0],
  flags: Flags,
  asOf: number,
  io: CliIo,
): Predictions {
  const result = predictClv(customers, clvOptionsFrom(flags, asOf), ALL_COUNT_MODELS);
  io.stderr(describeClv(result));
  return clvPredictions(result);
}

/** Untiered customers (-1) go last. */
const tierRank = (tier: number): number => (tier < 0 ? Number.MAX_SAFE_INTEGER : tier);

export function populationText(scored: ReturnType<typeof scoreBook>): string {
  const summary = summarizePopulation(scored);
  const percent = (x: number): string => `${(x * 100).toFixed(1)} %`;
  const rows = summary.tiers.map((t) => ({
    tier: t.label,
    customers: t.customers,
    share: percent(t.customerShare),
    revenue: Math.round(t.revenue * 100) / 100,
    'revenue share': percent(t.revenueShare),
  }));
  const top20 = summary.paretoCurve.find((p) => p.customerShare >= 0.2)?.revenueShare ?? 0;
  return `${toTextTable(rows)}${summary.customers} customers, revenue ${summary.revenue.toFixed(2)}; the top 20 % of customers bring ${percent(top20)} of it\n`;
}
