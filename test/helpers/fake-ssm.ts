import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../../sandbox/http';

/**
 * A local stand-in for SSM Parameter Store's GetParameters (AWS JSON 1.1 protocol), enough for the SDK
 * client: answers from `parameters`, lists unknown names as InvalidParameters, records every request.
 */
export async function startFakeSsm(parameters: Record<string, string>) {
  const requests: { target: string; body: { Names: string[]; WithDecryption?: boolean } }[] = [];
  let failing = false;
  const server = createServer(async (req, res) => {
    const data = await readBody(req);
    const target = String(req.headers['x-amz-target']);
    const body = JSON.parse(data || '{}');
    requests.push({ target, body });
    res.setHeader('content-type', 'application/x-amz-json-1.1');
    if (failing || target !== 'AmazonSSM.GetParameters') {
      res.statusCode = 400;
      res.end(JSON.stringify({ __type: 'InternalServerError', message: 'fake SSM refused' }));
      return;
    }
    const names: string[] = body.Names ?? [];
    res.end(
      JSON.stringify({
        Parameters: names
          .filter((n) => n in parameters)
          .map((n) => ({ Name: n, Type: 'SecureString', Value: parameters[n], Version: 1 })),
        InvalidParameters: names.filter((n) => !(n in parameters)),
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    parameters,
    fail(on: boolean) {
      failing = on;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
