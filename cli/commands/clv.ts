import {
  type ClvOptions,
  type ClvResult,
  DEFAULT_CLV_OPTIONS,
  fitGammaGamma,
  fitRepeatModel,
  historiesFrom,
  isoDate,
  predictClv,
  type RepeatModelName,
  TierwiseError,
  unitToDays,
} from '../../shared';
import { loadBook } from '../book';
import { reportRejected, toCsv, toTextTable } from '../io';
import { asOfFrom, type Flags, formatFrom, numberFrom, unitFrom } from '../options';

const MODELS = ['bgnbd', 'mbgnbd', 'gamma-gamma'] as const;

function modelFrom(flags: Flags, allowed: readonly string[]): (typeof MODELS)[number] {
  const model = flags.model ?? DEFAULT_CLV_OPTIONS.model;
  if (!allowed.includes(model))
    throw new TierwiseError(`--model "${model}" is not one of ${allowed.join(', ')}`);
  return model as (typeof MODELS)[number];
}

/** tierwise fit FILE --as-of DATE --unit week --model bgnbd|mbgnbd|gamma-gamma [--json] */
export function fit(file: string, flags: Flags): number {
  const asOf = asOfFrom(flags);
  const unit = unitFrom(flags, DEFAULT_CLV_OPTIONS.unit);
  const model = modelFrom(flags, MODELS);
  const book = loadBook(file, flags, asOf, unit);
  const started = performance.now();
  let result: Record<string, unknown>;
  if (model === 'gamma-gamma') {
    const repeaters = book.customers.filter((c) => c.repeatPurchases > 0 && (c.repeatAverageSpend ?? 0) > 0);
    result = fitGammaGamma({
      x: Float64Array.from(repeaters, (c) => c.repeatPurchases),
      meanSpend: Float64Array.from(repeaters, (c) => c.repeatAverageSpend!),
    });
  } else {
    result = fitRepeatModel(historiesFrom(book.customers, unit).histories, model);
  }
  const fitMs = performance.now() - started;
  const output = { ...result, unit, asOf: isoDate(asOf), fitMs: Math.round(fitMs * 100) / 100 };
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
  } else if (result.ok) {
    const params = Object.entries(result.params as Record<string, number>)
      .map(([k, v]) => `${k} = ${v.toFixed(4)}`)
      .join(', ');
    process.stdout.write(
      `${model} (time unit: ${unit}): ${params}\nlog-likelihood ${(result.logLikelihood as number).toFixed(4)} over ${result.customers} customers, fitted in ${fitMs.toFixed(1)} ms\n`,
    );
  }
  reportRejected(file, book.rejected);
  if (!result.ok) throw new TierwiseError(`${model} fit failed: ${result.reason}`);
  return book.rejected.length > 0 ? 2 : 0;
}

/** The CLV options from the flags; the horizon is given in --unit units and kept in days. */
export function clvOptionsFrom(flags: Flags, asOf: number): ClvOptions {
  const unit = unitFrom(flags, DEFAULT_CLV_OPTIONS.unit);
  const horizon = numberFrom(flags, 'horizon', unit === 'week' ? 13 : 91);
  return {
    asOf,
    unit,
    model: modelFrom(flags, ['bgnbd', 'mbgnbd']) as RepeatModelName,
    horizonDays: unitToDays(horizon, unit),
    clvMonths: numberFrom(flags, 'clv-months', DEFAULT_CLV_OPTIONS.clvMonths),
    discountMonthly: numberFrom(flags, 'discount-monthly', DEFAULT_CLV_OPTIONS.discountMonthly),
    margin: numberFrom(flags, 'margin', DEFAULT_CLV_OPTIONS.margin),
  };
}

/** One line on stderr saying which model and rule applied, and why when it fell back. */
export function describeClv(result: ClvResult): string {
  const fit = result.repeatFit?.ok
    ? `${result.repeatFit.model} fitted on ${result.repeatFit.customers} customers; `
    : '';
  const why = result.fallbackReason ? ` (probabilistic model not used: ${result.fallbackReason})` : '';
  return `CLV: ${fit}${result.rule}${why}\n`;
}

/** tierwise predict FILE --as-of DATE --unit week --horizon 39 [--clv-months 12] [--discount-monthly 0.01] [--json|--csv] */
export function predict(file: string, flags: Flags): number {
  const asOf = asOfFrom(flags);
  const options = clvOptionsFrom(flags, asOf);
  const book = loadBook(file, flags, asOf, options.unit);
  const result = predictClv(book.customers, options);
  const round = (x: number | null, digits = 4): number | null =>
    x === null ? null : Number(x.toFixed(digits));
  const rows = book.customers.map((c, i) => {
    const p = result.customers[i];
    return {
      customer_id: c.customerId,
      frequency: c.repeatPurchases,
      recency: round(c.firstToLastPurchase),
      T: round(c.tenure),
      pAlive: round(p.pAlive),
      expectedPurchases: round(p.expectedPurchases),
      pNoPurchase: round(p.pNoPurchase),
      expectedSpend: round(p.expectedSpend, 2),
      clv: round(p.clv, 2),
      nextPurchase: p.nextPurchase === null ? null : isoDate(p.nextPurchase),
      model: p.method === 'probabilistic' ? options.model : 'simple',
    };
  });
  const format = formatFrom(flags);
  if (format === 'json') {
    const { customers: _, ...summary } = result;
    process.stdout.write(
      `${JSON.stringify({ ...summary, customers: rows.map((r, i) => ({ ...r, monthly: result.customers[i].monthly.map((v) => round(v, 2)) })) }, null, 2)}\n`,
    );
  } else if (format === 'csv') {
    process.stdout.write(toCsv(rows.map((r) => ({ ...r, rule: result.rule }))));
  } else {
    process.stdout.write(toTextTable(rows));
  }
  process.stderr.write(describeClv(result));
  return reportRejected(file, book.rejected) ? 2 : 0;
}
