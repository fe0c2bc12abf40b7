/**
 * Request bodies are bounded before they are parsed: by size (413), and by nesting depth (400 naming
 * where it got too deep), so no body can cost more memory, time or stack than a real one needs.
 */

/** No real configuration or sync chunk nests deeper than this (a matrix cell is 4 levels down). */
export const MAX_JSON_DEPTH = 32;

export type BodyResult =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; status: 400 | 413; error: string; details?: Record<string, unknown> };

/** Parses a JSON object body of at most `maxBytes` UTF-8 bytes and MAX_JSON_DEPTH levels. */
export function readJsonBody(text: string, maxBytes: number): BodyResult {
  // A UTF-16 unit is at most 3 UTF-8 bytes: most bodies are judged without counting them.
  const bytes = text.length * 3 <= maxBytes ? text.length : Buffer.byteLength(text, 'utf8');
  if (bytes > maxBytes) {
    return {
      ok: false,
      status: 413,
      error: `the body is ${kb(bytes)}; this endpoint accepts at most ${kb(maxBytes)}`,
      details: { limit: maxBytes },
    };
  }
  const deep = tooDeep(text, MAX_JSON_DEPTH);
  if (deep !== null) {
    return {
      ok: false,
      status: 400,
      error: `the body nests deeper than ${MAX_JSON_DEPTH} levels at ${deep || 'the top'}`,
      details: { field: deep },
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, status: 400, error: `the body is not valid JSON: ${(error as Error).message}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { ok: false, status: 400, error: 'the body must be a JSON object' };
  return { ok: true, value: parsed as Record<string, unknown> };
}

const kb = (bytes: number): string => `${Math.ceil(bytes / 1024).toLocaleString('en')} KB`;

/**
 * One pass over the text, without parsing it: returns the field path (`config.model.rules[0].when.x[0]…`)
 * where nesting first exceeds `max`, or null. Keys are tracked so the path says where to look.
 */
export function tooDeep(text: string, max: number): string | null {
  const path: (string | number)[] = [];
  let key: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const end = stringEnd(text, i);
      key = text.slice(i + 1, end);
      i = end;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (path.length === max) return formatPath(path);
      path.push(c === 0x5b ? 0 : '');
      key = null;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      path.pop();
    } else if (c === 0x3a /* : */ && key !== null && typeof path[path.length - 1] === 'string') {
      path[path.length - 1] = key;
    } else if (c === 0x2c /* , */ && typeof path[path.length - 1] === 'number') {
      (path[path.length - 1] as number)++;
    }
  }
  return null;
}

function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) i++;
    else if (c === 0x22) return i;
  }
  return text.length;
}

function formatPath(path: readonly (string | number)[]): string {
  // The entry on top is the container being entered; its own key was recorded on the level below.
  const shown = path.slice(0, 12).map((p, i) => {
    const name = typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${p.slice(0, 40)}`;
    return name;
  });
  return `${shown.join('')}${path.length > 12 ? `… (${path.length} levels)` : ''}`;
}
