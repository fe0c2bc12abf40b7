/**
 * Config API answers as the sidebar understands them: one mapping, used by the Apps Script server
 * functions and by the sandbox's sidebar adapter alike. Pure: no Apps Script service.
 */

import { type ConfigProblem, parseConfig } from '../shared';
import type { SaveOutcome, StoredVersion } from './protocol';

export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** A version as the API sent it, parsed (its configuration validated) rather than cast. */
export function storedVersion(value: unknown): StoredVersion {
  const v = (value ?? {}) as Record<string, unknown>;
  const note = typeof v.note === 'string' ? v.note : null;
  return {
    version: Number(v.version),
    config: parseConfig(v.config),
    savedBy: String(v.savedBy),
    savedAt: String(v.savedAt),
    note,
  };
}

export const apiFailure = ({ status, body }: ApiAnswer): string =>
  `the Tierwise server answered ${status}: ${String(body.error ?? 'no details')}`;

/** The answer to a save or a rollback: saved, a conflict with the winning version, refused, or failed. */
export function saveOutcome(answer: ApiAnswer): SaveOutcome {
  const { status, body } = answer;
  if (status === 200) return { ok: true, saved: storedVersion(body) };
  if (status === 409) return { ok: false, conflict: storedVersion(body.current) };
  if (status === 400 && Array.isArray(body.errors)) {
    const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
    return {
      ok: false,
      errors: body.errors as ConfigProblem[],
      uncovered: list(body.uncovered),
      shadowed: list(body.shadowed),
    };
  }
  return { ok: false, failure: apiFailure(answer) };
}
