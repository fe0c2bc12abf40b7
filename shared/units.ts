/**
 * Time units, written down once. Every duration in Tierwise is either a whole number of days or a
 * number of `TimeUnit`s, and the unit always travels with the number.
 */

export type TimeUnit = 'day' | 'week';

export const TIME_UNITS: readonly TimeUnit[] = ['day', 'week'];

/** Days in one time unit. */
export const DAYS_PER_UNIT: Readonly<Record<TimeUnit, number>> = { day: 1, week: 7 };

/**
 * One month, as used by every monthly figure (CLV horizons, monthly discount rates): the mean
 * Gregorian month, 365.25 / 12 days. A weekly model asked for "12 months" evaluates 12 × 30.4375 / 7
 * = 52.18 weeks, never 360.
 */
export const DAYS_PER_MONTH = 30.4375;

export const daysToUnit = (days: number, unit: TimeUnit): number => days / DAYS_PER_UNIT[unit];
export const unitToDays = (value: number, unit: TimeUnit): number => value * DAYS_PER_UNIT[unit];
export const monthsToUnit = (months: number, unit: TimeUnit): number =>
  (months * DAYS_PER_MONTH) / DAYS_PER_UNIT[unit];
