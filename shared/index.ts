/**
 * Tierwise's scoring core. The pipeline, one file a step:
 * intake/ (columns, values, transactions, customers → book) → summarize → bands (R, F, M scores)
 * → tier (score-book.ts runs both) → explain, with population and check beside.
 */

export * from './bands';
export * from './check';
export * from './clv';
export * from './clv-summary';
export * from './config';
export * from './contacts';
export * from './dates';
export * from './due';
export * from './errors';
export * from './explain';
export * from './funnel';
export * from './intake/book';
export * from './intake/columns';
export * from './intake/customers';
export * from './intake/transactions';
export * from './intake/values';
export * from './match';
export * from './metrics';
export * from './models';
export * from './population';
export * from './preset-base';
export * from './presets';
export * from './relative';
export * from './score-book';
export * from './summarize';
export * from './sync';
export * from './tier';
export * from './units';
export * from './versions';
