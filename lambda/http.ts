/** The HTTP shapes the handlers speak, independent of Lambda or Node's http module. */

export interface HttpRequest {
  method: string;
  path: string;
  /** Lower-case names. */
  headers: Record<string, string | undefined>;
  body: string;
}

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export const json = (statusCode: number, body: unknown): HttpResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify(body),
});

/** Every error answer has the same shape: what went wrong, and details a client can show by field. */
export const problem = (
  statusCode: number,
  error: string,
  details: Record<string, unknown> = {},
): HttpResponse => json(statusCode, { error, ...details });
