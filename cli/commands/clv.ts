import {
  ALL_COUNT_MODELS,
  type ClvOptions,
  type ClvResult,
  COUNT_MODELS,
  type CountModelName,
  DEFAULT_CLV_OPTIONS,
  daysToUnit,
  fitCountModel,
  fitGammaGamma,
  historiesFrom,
  isoDate,
  type ModelFit,
  type ModelName,
  predictClv,
  smallDataReason,
  spendHistoriesFrom,
  TierwiseError,
  unitToDays,
} from '../../shared';
import { loadBook } from '../book';
import { type CliIo, intakeJson, reportRejected, toCsv, toTextTable } from '../io';
import { asOfFrom, type Flags, formatFrom, numberFrom, unitFrom } from '../options';

const MODELS = ['mbgnbd', 'bgnbd', 'pareto-nbd', 'gamma-gamma'] as const;

export function modelFrom(flags: Flags, allowed: readonly string[]): (typeof MODELS)[number] {
  const model = flags.model ?? DEFAULT_CLV_OPTIONS.model;
  if (!allowed.includes(model))
    throw new TierwiseError(`--model "${model}" is not one of ${allowed.join(', ')}`);
  return model as (typeof MODELS)[number];
}

/** A fit's figures in the shape every model reports: parameters, log-likelihood, iterations, converged. */
export function describeFit(fit: ModelFit<object, ModelName>): string {
  const params = fit.params
    ? Object.entries(fit.params as Record<string, number>)
        .map(([k, v]) => `${k} = ${Math.abs(v) < 1e6 ? v.toFixed(4) : v.toExponential(3)}`)
        .join(', ')
    : 'no estimates';
  const ll = fit.logLikelihood === null ? 'none' : fit.logLikelihood.toFixed(4);
  return `${params}; log-likelihood ${ll} over ${fit.customers} customers, ${fit.iterations} iterations, ${fit.converged ? 'converged' : 'not converged'}`;
}

/** tierwise fit FILE --as-of DATE --unit week --model mbgnbd|bgnbd|pareto-nbd|gamma-gamma [--json] */
export function fit(file: string, flags: Flags, io: CliIo): number {
  const asOf = asOfFrom(flags);
  const unit = unitFrom(flags, DEFAULT_CLV_OPTIONS.unit);
  const model = modelFrom(flags, MODELS);
  const book = loadBook(file, flags, asOf, unit, io);
  const started = performance.now();
  let result: ModelFit<object, ModelName> & { tenureZero?: number };
  // fit is asked for explicitly, so it runs on small data too, but says predict would not use it.
  let small: string | null = null;
  if (model === 'gamma-gamma') {
    result = fitGammaGamma(spendHistoriesFrom(book.customers));
  } else {
    const { histories } = historiesFrom(book.customers, unit);
    small = smallDataReason(book.customers, histories, asOf);
    result = fitCountModel(histories, model);
  }
  const fitMs = performance.now() - started;
  const output = {
    ...result,
    unit,
    asOf: isoDate(asOf),
    fitMs: Math.round(fitMs * 100) / 100,
    smallData: small,
    ...intakeJson(book),
  };
  if (flags.json) {
    io.stdout(`${JSON.stringify(output, null, 2)}\n`);
  } else {
    const excluded = result.tenureZero
      ? `; ${result.tenureZero} customers with their first purchase on the as-of date left out of the fit (they add nothing to it)`
      : '';
    io.stdout(
      `${model} (time unit: ${unit}): ${describeFit(result)}, fitted in ${fitMs.toFixed(1)} ms${excluded}\n`,
    );
  }
  reportRejected(io, file, book.rejected);
  if (small)
    io.stderr(
      `tierwise: note: ${small}, so these estimates are unreliable; predict and score --clv use the simple CLV instead\n`,
    );
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
    model: modelFrom(flags, COUNT_MODELS) as CountModelName,
    horizonDays: unitToDays(horizon, unit),
    clvMonths: numberFrom(flags, 'clv-months', DEFAULT_CLV_OPTIONS.clvMonths),
    discountMonthly: numberFrom(flags, 'discount-monthly', DEFAULT_CLV_OPTIONS.discountMonthly),
    margin: numberFrom(flags, 'margin', DEFAULT_CLV_OPTIONS.margin),
  };
}

/** Lines on stderr saying which models and rules applied, and why when one fell back. */
export function describeClv(result: ClvResult): string {
  const fit = result.repeatFit?.ok
    ? `${result.repeatFit.model} fitted on ${result.repeatFit.customers} customers; `
    : '';
  const why = result.fallbackReason ? ` (probabilistic model not used: ${result.fallbackReason})` : '';
  const zero = result.tenureZero
    ? `CLV: ${result.tenureZero} customers first bought on the as-of date: left out of the fit (they add nothing to it), still predicted\n`
    : '';
  const spend =
    result.method === 'probabilistic'
      ? `CLV spend: ${result.spendRule}${result.spendFallbackReason ? ` (Gamma-Gamma not used: ${result.spendFallbackReason}; P(alive) and expected purchases still come from ${result.options.model})` : ''}\n`
      : '';
  return `CLV: ${fit}${result.rule}${why}\n${spend}${zero}`;
}

/** tierwise predict FILE --as-of DATE --unit week --horizon 39 [--clv-months 12] [--discount-monthly 0.01] [--json|--csv] */
export function predict(file: string, flags: Flags, io: CliIo): number {
  const asOf = asOfFrom(flags);
  const options = clvOptionsFrom(flags, asOf);
  const book = loadBook(file, flags, asOf, options.unit, io);
  const result = predictClv(book.customers, options, ALL_COUNT_MODELS);
  const round = (x: number | null, digits = 4): number | null =>
    x === null ? null : Number(x.toFixed(digits));
  const inUnit = (days: number | null): number | null =>
    days === null ? null : daysToUnit(days, options.unit);
  const rows = book.customers.map((c, i) => {
    const p = result.customers[i];
    return {
      customer_id: c.customerId,
      frequency: c.repeatPurchases,
      recency: round(inUnit(c.firstToLastPurchase)),
      T: round(inUnit(c.tenure)),
      pAlive: round(p.pAlive),
      expectedPurchases: round(p.expectedPurchases),
      pNoPurchase: round(p.pNoPurchase),
      expectedSpend: round(p.expectedSpend, 2),
      clv: round(p.clv, 2),
      nextPurchase: p.nextPurchase === null ? null : isoDate(p.nextPurchase),
      model: p.method === 'probabilistic' ? options.model : 'simple',
      spendModel: p.method === 'probabilistic' ? result.spendModel : 'average order value',
    };
  });
  const format = formatFrom(flags);
  if (format === 'json') {
    const { customers: _, ...summary } = result;
    io.stdout(
      `${JSON.stringify({ ...summary, ...intakeJson(book), customers: rows.map((r, i) => ({ ...r, monthly: result.customers[i].monthly.map((v) => round(v, 2)) })) }, null, 2)}\n`,
    );
  } else if (format === 'csv') {
    io.stdout(toCsv(rows.map((r) => ({ ...r, rule: result.rule }))));
  } else {
    io.stdout(toTextTable(rows));
  }
  io.stderr(describeClv(result));
  return reportRejected(io, file, book.rejected) ? 2 : 0;
}
