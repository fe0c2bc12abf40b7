/**
 * Tierwise's scoring core. The pipeline, one file a step:
 * intake → summarize → scores → tier (score.ts runs both) → explain, with population and check beside.
 */

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
export * from './intake';
export * from './match';
export * from './metrics';
export * from './population';
export * from './preset-base';
export * from './presets';
export * from './relative';
export * from './score';
export * from './scores';
export * from './summarize';
export * from './tier';
export * from './units';
