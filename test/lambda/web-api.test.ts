import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetPeople, whoIsThrough } from '../../lambda/slack/people';
import { slackClientOptions } from '../../lambda/slack/web-api';

// A Slack Web API that always fails (500), as during an outage: the WebClient's default would retry
// users.info for about 30 minutes while the slash command that asked waits.
let calls = 0;
const failing = createServer((_req, res) => {
  calls++;
  res.statusCode = 500;
  res.end('{"ok":false,"error":"internal_error"}');
});
let url = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(failing.address() as AddressInfo).port}/api/`;
});
afterAll(() => failing.close());

describe('Slack Web API clients', () => {
  it('give up after one failed call, so "/tier due me" falls back to the handle Slack sent', async () => {
    forgetPeople();
    const client = new webApi.WebClient('xoxb-test', slackClientOptions({ slackApiUrl: url }));
    const names = await whoIsThrough(client)('T1', 'U1', ['ana']);
    expect(names).toEqual(['ana', 'U1']);
    expect(calls).toBe(1);
  });

  it('never wait longer than the 3 seconds Slack gives a listener', () => {
    const options = slackClientOptions({});
    expect(options.timeout).toBeLessThan(3_000);
    expect(options.retryConfig).toEqual({ retries: 0 });
    expect(options.rejectRateLimitedCalls).toBe(true);
    expect(options.slackApiUrl).toBeUndefined();
  });
});
