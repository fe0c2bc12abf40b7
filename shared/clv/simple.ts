/**
 * The simple CLV anyone can check by hand, for shops too small for a probabilistic fit:
 *   CLV = Σₖ₌₁..H  m · ρᵏ / (1 + d)ᵏ,   m = average order value × purchases per month × margin
 * with H months, a monthly retention rate ρ and a monthly discount rate d.
 */

export interface SimpleClvInput {
  averageOrderValue: number;
  purchasesPerMonth: number;
  margin: number;
  retentionMonthly: number;
  discountMonthly: number;
  months: number;
}

/** The monthly retention assumed when none is given: 90 % of customers stay from one month to the next. */
export const DEFAULT_RETENTION_MONTHLY = 0.9;

/** Month-by-month values (month 1 first) and their total; never negative. */
export function simpleClv(input: SimpleClvInput): { total: number; monthly: number[] } {
  const perMonth = Math.max(0, input.averageOrderValue * input.purchasesPerMonth * input.margin);
  const monthly: number[] = [];
  let total = 0;
  for (let k = 1; k <= Math.floor(input.months); k++) {
    const value = (perMonth * input.retentionMonthly ** k) / (1 + input.discountMonthly) ** k;
    monthly.push(value);
    total += value;
  }
  return { total, monthly };
}

/** The formula with the customer's own numbers, to show the owner. */
export function simpleClvFormula(input: SimpleClvInput, round: (x: number) => string): string {
  return (
    `${round(input.averageOrderValue)} per order × ${input.purchasesPerMonth.toFixed(2)} orders a month × margin ${input.margin}` +
    ` = ${round(input.averageOrderValue * input.purchasesPerMonth * input.margin)} a month, kept with ${Math.round(input.retentionMonthly * 100)} % a month` +
    ` and discounted ${(input.discountMonthly * 100).toFixed(1)} % a month over ${input.months} months`
  );
}
