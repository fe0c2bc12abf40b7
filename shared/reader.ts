/**
 * Reading configuration JSON: a `Reader` walks a value and collects every problem with its field
 * path, so a manager sees all of them at once. `config.ts` and each tier-model kind
 * (`models/*.ts`) read their own sections with it.
 */

import type { ConfigProblem } from './errors';
import { isMetricName } from './metrics';

export type Json = unknown;

/** Reads one field's value, found at `path`; problems go to the reader. */
export type Field = (value: Json, path: string) => unknown;
/** A field that may be left out: read only when present. */
export interface OptionalField {
  optional: Field;
}
export const optional = (read: Field): OptionalField => ({ optional: read });
/** For a field read elsewhere (a model's `kind`): known, nothing more to check. */
export const readElsewhere: Field = () => undefined;

/**
 * How to read each field of `T`, in reading order: the one place a section's field names are
 * written. The compiler holds it to `T` (no field missing, none extra), and optional fields of `T`
 * may be `optional(…)`.
 */
export type FieldTable<T> = {
  [K in keyof T]-?: Partial<Pick<T, K>> extends Pick<T, K> ? Field | OptionalField : Field;
};

/** Collects problems while walking a JSON value, so all of them are reported at once. */
export class Reader {
  readonly problems: ConfigProblem[] = [];
  fail(path: string, message: string): undefined {
    this.problems.push({ path, message });
    return undefined;
  }
  object(value: Json, path: string): Record<string, Json> | undefined {
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, Json>;
    return this.fail(path, `must be an object, got ${describe(value)}`);
  }
  array(value: Json, path: string, minLength = 0): Json[] | undefined {
    if (!Array.isArray(value)) return this.fail(path, `must be a list, got ${describe(value)}`);
    if (value.length < minLength) return this.fail(path, `must have at least ${minLength} entries`);
    return value;
  }
  string(value: Json, path: string): string | undefined {
    if (typeof value === 'string' && value.trim() !== '') return value;
    return this.fail(path, `must be a non-empty text, got ${describe(value)}`);
  }
  number(value: Json, path: string, min = -Infinity, max = Infinity): number | undefined {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return this.fail(path, `must be a number, got ${describe(value)}`);
    }
    if (value < min || value > max) return this.fail(path, `must be between ${min} and ${max}, got ${value}`);
    return value;
  }
  oneOf<T extends string | number>(value: Json, path: string, allowed: readonly T[]): T | undefined {
    if (allowed.includes(value as T)) return value as T;
    return this.fail(
      path,
      `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${describe(value)}`,
    );
  }
  ascending(values: number[], path: string): void {
    for (let i = 1; i < values.length; i++) {
      if (!(values[i] > values[i - 1])) {
        this.fail(
          `${path}[${i}]`,
          `must be greater than the one before (${values[i - 1]}), got ${values[i]}`,
        );
      }
    }
  }
  numbers(value: Json, path: string, length?: number): number[] | undefined {
    const list = this.array(value, path);
    if (!list) return undefined;
    if (length !== undefined && list.length !== length) {
      return this.fail(path, `must have ${length} numbers, got ${list.length}`);
    }
    const numbers = list.map((v, i) => this.number(v, `${path}[${i}]`));
    return numbers.every((n) => n !== undefined) ? (numbers as number[]) : undefined;
  }
  /** A tier's key, which must be defined in `tiers`. */
  tier(value: Json, path: string, tiers: Set<string>): void {
    const key = this.string(value, path);
    if (key !== undefined && !tiers.has(key)) {
      this.fail(
        path,
        `"${key}" is not a tier; define it in tiers (known: ${[...tiers].slice(0, 9).join(', ')})`,
      );
    }
  }
  /** A metric's name, or a column of the customer table. */
  metric(value: Json, path: string): void {
    const name = this.string(value, path);
    if (name !== undefined && !isMetricName(name) && !/^[\p{L}\w][\p{L}\w .-]*$/u.test(name)) {
      this.fail(path, `"${name}" is neither a known metric nor a column name`);
    }
  }
  /** Reads the fields of `object` by `table`, after rejecting fields the table does not name. */
  fields<T>(object: Record<string, Json>, path: string, table: FieldTable<T>): void {
    const entries = Object.entries(table) as [string, Field | OptionalField][];
    this.known(
      object,
      path,
      entries.map(([key]) => key),
    );
    for (const [key, field] of entries) {
      const value = object[key];
      if (typeof field === 'function') field(value, join(path, key));
      else if (value !== undefined) field.optional(value, join(path, key));
    }
  }
  known(value: Record<string, Json>, path: string, keys: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (!keys.includes(key)) this.fail(join(path, key), `is not a known field (known: ${keys.join(', ')})`);
    }
  }
}

export function describe(value: Json): string {
  if (value === undefined) return 'nothing';
  // Never serialise a whole (maybe huge) value.
  const text = typeof value === 'object' && value ? 'a list or object' : JSON.stringify(value).slice(0, 41);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

export const join = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;
