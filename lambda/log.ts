/**
 * Structured JSON logs, one object a line on stdout (not console.*: in Lambda that prefixes each line,
 * and CloudWatch would no longer read the embedded metrics). Fields are scalars only, so a line can
 * never carry a request body, a customer record or a token by accident; the request's id, route and
 * organisation come from the request context, set once by the router and the stores.
 *
 * Each request ends with one `request` line that is also an Embedded Metric Format record: CloudWatch
 * turns its `latencyMs` and `fault` into metrics (the stack's alarms), with no API call at run time.
 */

import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger as BoltLogger, LogLevel } from '@slack/bolt';

export type Level = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Scalars only: see the module comment. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  readonly level: Level;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** What kind of work a request was: the metrics' dimension, so a handful of values only. */
export type RequestKind = 'slack' | 'oauth' | 'api' | 'deferred' | 'health' | 'other';

/** The embedded metrics, for infra/ to alarm on. */
export const METRICS = {
  namespace: 'Tierwise',
  latency: 'latencyMs',
  fault: 'fault',
  dimensions: ['stage', 'kind'],
} as const;

const context = new AsyncLocalStorage<LogFields>();

/** Runs `work` with `fields` on every line it logs (and on its request line). */
export const inRequest = <T>(fields: LogFields, work: () => T): T => context.run({ ...fields }, work);

/** Adds fields to the current request's lines, e.g. the organisation once a store has resolved it. */
export function annotate(fields: LogFields): void {
  const current = context.getStore();
  if (current) Object.assign(current, fields);
}

export function createLogger(
  options: { level?: Level; stage?: string; write?: (line: string) => void; now?: () => Date } = {},
): Logger {
  const level = options.level ?? 'info';
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const at =
    (lineLevel: Level) =>
    (message: string, fields: LogFields = {}) => {
      if (RANK[lineLevel] < RANK[level]) return;
      write(
        JSON.stringify({
          timestamp: now().toISOString(),
          level: lineLevel,
          service: 'tierwise',
          stage: options.stage,
          message,
          ...context.getStore(),
          ...fields,
        }),
      );
    };
  return { level, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const isLevel = (value: string | undefined): value is Level => !!value && value in RANK;

/**
 * The request's closing line: outcome and latency for people, and (as EMF) the `latencyMs` and `fault`
 * metrics per stage and kind, and per stage across kinds.
 */
export function logRequest(
  log: Logger,
  summary: { kind: RequestKind; status: number; latencyMs: number; coldStart: boolean },
): void {
  const fault = summary.status >= 500 ? 1 : 0;
  const outcome = fault ? 'error' : summary.status >= 400 ? 'refused' : 'ok';
  (fault ? log.error : log.info)('request', {
    kind: summary.kind,
    status: summary.status,
    outcome,
    latencyMs: Math.round(summary.latencyMs),
    coldStart: summary.coldStart,
    [METRICS.fault]: fault,
    _aws: embeddedMetrics(),
  } as unknown as LogFields);
}

/** The metrics' dimension values are the line's own `stage` and `kind` fields. */
function embeddedMetrics() {
  return {
    Timestamp: Date.now(),
    CloudWatchMetrics: [
      {
        Namespace: METRICS.namespace,
        Dimensions: [[...METRICS.dimensions], ['stage']],
        Metrics: [
          { Name: METRICS.latency, Unit: 'Milliseconds' },
          { Name: METRICS.fault, Unit: 'Count' },
        ],
      },
    ],
  };
}

const TOKENS = /\bxox[a-z]-[\w-]+/gi;
const MAX_TEXT = 500;

/** Slack tokens out, length bounded: for text that did not come from our own log calls. */
export const scrub = (text: string): string => text.replace(TOKENS, 'xox*-[redacted]').slice(0, MAX_TEXT);

/** An error as log fields: its name, message and first frames, scrubbed. */
export function errorFields(error: unknown): LogFields {
  if (!(error instanceof Error)) return { error: typeof error };
  const frames = (error.stack ?? '').split('\n').slice(1, 6).join('\n');
  return { error: error.name, errorMessage: scrub(error.message), stack: scrub(frames) };
}

/**
 * Bolt's logger, writing through ours. Bolt's debug lines include whole request bodies (customer
 * names in a `/tier` text), so they are never written; other lines keep strings and error messages
 * only (an object argument is never serialised), scrubbed.
 */
export function boltLogger(log: Logger): BoltLogger {
  const describe = (part: unknown): string =>
    typeof part === 'string' ? part : part instanceof Error ? `${part.name}: ${part.message}` : '[object]';
  const at =
    (level: Level) =>
    (...parts: unknown[]) =>
      log[level](`bolt: ${scrub(parts.map(describe).join(' '))}`, { source: 'bolt' });
  return {
    debug: () => {},
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    setLevel: () => {}, // the level is the Lambda's LOG_LEVEL, for Bolt too
    getLevel: () => log.level as LogLevel,
    setName: () => {},
  };
}
