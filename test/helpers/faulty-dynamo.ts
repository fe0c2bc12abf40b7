import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBytes } from '../../sandbox/http';

/**
 * A proxy in front of dynalite that misbehaves the way DynamoDB does under trouble, on the wire, so the
 * real SDK client (its retries, timeouts and error parsing) meets the faults:
 * - `throttle`: 400 ThrottlingException, as DynamoDB answers over capacity (the SDK retries it);
 * - `error`: 500 InternalServerError (retried too);
 * - `hang`: no answer at all (the client's request timeout must end it);
 * - `partial`: a BatchWriteItem whose first `keep` writes really happen and the rest come back as
 *   UnprocessedItems, as DynamoDB does when a partition is hot;
 * - `lose-response`: the request is carried out, then the connection is dropped before the answer.
 */
export type Fault =
  | { kind: 'throttle' }
  | { kind: 'error' }
  | { kind: 'hang' }
  | { kind: 'partial'; keep: number }
  | { kind: 'lose-response' };

/** Decides for each request (by operation name, e.g. `BatchWriteItem`) whether and how it fails. */
export type FaultPlan = (operation: string, body: Record<string, unknown>) => Fault | null;

export interface FaultyDynamo {
  endpoint: string;
  /** Every request: its operation and the fault it met, if any. */
  log: { operation: string; fault: Fault['kind'] | null }[];
  plan: (plan: FaultPlan | null) => void;
  faults: (kind?: Fault['kind']) => number;
  close: () => Promise<void>;
}

function forward(
  upstream: URL,
  req: IncomingMessage,
  body: Buffer,
): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, 'content-length': String(body.length), host: upstream.host };
    const out = httpRequest(
      { hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers },
      async (res) => {
        const data = await readBytes(res);
        resolve({
          status: res.statusCode ?? 500,
          headers: res.headers as Record<string, string>,
          body: data,
        });
      },
    );
    out.on('error', reject);
    out.end(body);
  });
}

function awsError(res: ServerResponse, status: number, type: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'fault' });
  res.end(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message }));
}

export async function startFaultyDynamo(upstreamEndpoint: string): Promise<FaultyDynamo> {
  const upstream = new URL(upstreamEndpoint);
  const log: FaultyDynamo['log'] = [];
  let plan: FaultPlan | null = null;
  const server = createServer(async (req, res) => {
    const raw = await readBytes(req);
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(raw.toString('utf8') || '{}');
    } catch {}
    const fault = plan?.(operation, body) ?? null;
    log.push({ operation, fault: fault?.kind ?? null });
    try {
      switch (fault?.kind) {
        case 'throttle':
          return awsError(
            res,
            400,
            'ThrottlingException',
            'Rate of requests exceeds the allowed throughput.',
          );
        case 'error':
          return awsError(res, 500, 'InternalServerError', 'Internal server error');
        case 'hang':
          return; // never answered; the client gives up
        case 'lose-response':
          await forward(upstream, req, raw);
          req.socket.destroy();
          return;
        case 'partial': {
          const items = body.RequestItems as Record<string, unknown[]>;
          const [table] = Object.keys(items);
          const kept = items[table].slice(0, fault.keep);
          const left = items[table].slice(fault.keep);
          if (kept.length > 0) {
            const sent = Buffer.from(JSON.stringify({ ...body, RequestItems: { [table]: kept } }));
            const answer = await forward(upstream, req, sent);
            if (answer.status !== 200) {
              res.writeHead(answer.status, answer.headers);
              res.end(answer.body);
              return;
            }
          }
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
          res.end(JSON.stringify({ UnprocessedItems: left.length > 0 ? { [table]: left } : {} }));
          return;
        }
        default: {
          const answer = await forward(upstream, req, raw);
          const { 'content-length': _, ...headers } = answer.headers;
          res.writeHead(answer.status, headers);
          res.end(answer.body);
        }
      }
    } catch (error) {
      awsError(res, 500, 'InternalServerError', (error as Error).message);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    plan: (next) => {
      plan = next;
    },
    faults: (kind) => log.filter((l) => (kind ? l.fault === kind : l.fault !== null)).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
