// The scripted model server on its own: wire formats and script semantics, without the client.
import { afterEach, beforeEach, expect, test } from 'vitest';
import {
  firstUserIncludes,
  startModelServer,
  writeFile,
  say,
  type ModelServer,
  type MessagesBody,
} from '../support/model-server.js';

let server: ModelServer;
beforeEach(async () => {
  server = await startModelServer();
});
afterEach(() => server.close());

const tools = [{ name: 'Write' }];
const post = (path: string, body: unknown) =>
  fetch(server.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

function parseSse(text: string): Array<{ event: string; data: any }> {
  return text
    .split('\n\n')
    .filter((c) => c.trim())
    .map((c) => {
      const ev = /^event: (.*)$/m.exec(c)![1]!;
      const data = JSON.parse(/^data: (.*)$/m.exec(c)![1]!);
      return { event: ev, data };
    });
}

test('non-streaming: JSON message with generated tool_use ids and stop_reason tool_use', async () => {
  server.setScript([{ name: 'a', match: firstUserIncludes('M1'), turns: [[say('hi'), writeFile('/x', 'y')]] }]);
  const res = await post('/v1/messages', {
    model: 'm',
    tools,
    messages: [{ role: 'user', content: 'M1 go' }],
  } satisfies MessagesBody);
  const msg = (await res.json()) as any;
  expect(msg.type).toBe('message');
  expect(msg.stop_reason).toBe('tool_use');
  expect(msg.content[0]).toEqual({ type: 'text', text: 'hi' });
  expect(msg.content[1]).toMatchObject({ type: 'tool_use', name: 'Write', input: { file_path: '/x', content: 'y' } });
  expect(msg.content[1].id).toMatch(/^toolu_/);
});

test('streaming: the SSE event sequence reassembles to the scripted blocks', async () => {
  server.setScript([
    { name: 'a', match: firstUserIncludes('M2'), turns: [[say('hi'), writeFile('/x', 'y'.repeat(50))]] },
  ]);
  const res = await post('/v1/messages', {
    model: 'm',
    stream: true,
    tools,
    messages: [{ role: 'user', content: [{ type: 'text', text: 'M2' }] }],
  });
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const evs = parseSse(await res.text());
  expect(evs.map((e) => e.event)).toEqual([
    'message_start',
    'content_block_start',
    'content_block_delta',
    'content_block_stop',
    'content_block_start',
    'content_block_delta',
    'content_block_delta',
    'content_block_stop',
    'message_delta',
    'message_stop',
  ]);
  const json = evs
    .filter((e) => e.data.delta?.type === 'input_json_delta')
    .map((e) => e.data.delta.partial_json)
    .join('');
  expect(JSON.parse(json)).toEqual({ file_path: '/x', content: 'y'.repeat(50) });
  expect(evs.find((e) => e.event === 'message_delta')!.data.delta.stop_reason).toBe('tool_use');
});

test('turn index comes from the conversation, so parallel conversations and retries are independent', async () => {
  server.setScript([
    {
      name: 'sub',
      match: firstUserIncludes('SUB'),
      turns: [[say('first')], (ctx) => [say(`second saw ${ctx.toolResults[0]?.text}`)]],
    },
  ]);
  const first = (b: string) => ({ role: 'user' as const, content: b });
  const r1 = (await (await post('/v1/messages', { model: 'm', tools, messages: [first('SUB a')] })).json()) as any;
  const r1again = (await (await post('/v1/messages', { model: 'm', tools, messages: [first('SUB a')] })).json()) as any;
  const r2 = (await (
    await post('/v1/messages', {
      model: 'm',
      tools,
      messages: [
        first('SUB b'),
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Bash', input: {} }] },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'RESULT' }] }],
        },
      ],
    })
  ).json()) as any;
  expect(r1.content[0].text).toBe('first');
  expect(r1again.content[0].text).toBe('first');
  expect(r2.content[0].text).toBe('second saw RESULT');
  const r3 = (await (
    await post('/v1/messages', {
      model: 'm',
      tools,
      messages: [
        first('SUB'),
        { role: 'assistant', content: 'x' },
        first('y'),
        { role: 'assistant', content: 'x' },
        first('z'),
      ],
    })
  ).json()) as any;
  expect(r3.content[0].text).toBe('done');
  expect(r3.stop_reason).toBe('end_turn');
});

test('unmatched, side requests, count_tokens and unknown paths', async () => {
  const un = (await (
    await post('/v1/messages', { model: 'm', tools, messages: [{ role: 'user', content: 'nobody' }] })
  ).json()) as any;
  expect(un.stop_reason).toBe('end_turn');
  const side = (await (
    await post('/v1/messages', { model: 'haiku', messages: [{ role: 'user', content: 'title please' }] })
  ).json()) as any;
  expect(side.content[0].type).toBe('text');
  expect(await (await post('/v1/messages/count_tokens', { messages: [] })).json()).toEqual({ input_tokens: 10 });
  expect((await fetch(server.url + '/api/whatever')).status).toBe(404);
  expect(server.unmatched().map((r) => r.seq)).toEqual([1]);
  expect(server.requests.map((r) => r.kind)).toEqual(['messages', 'side', 'count_tokens', 'other']);
});

test('waitFor resolves when a matching request arrives, and times out otherwise', async () => {
  server.setScript([
    { name: 'late', match: firstUserIncludes('LATE'), turns: [] },
    {
      name: 'waiter',
      match: firstUserIncludes('WAIT'),
      turns: [async (ctx) => [say(`after #${(await ctx.server.waitFor((r) => r.actor === 'late')).seq}`)]],
    },
  ]);
  const waiting = post('/v1/messages', { model: 'm', tools, messages: [{ role: 'user', content: 'WAIT' }] });
  await new Promise((r) => setTimeout(r, 100));
  await post('/v1/messages', { model: 'm', tools, messages: [{ role: 'user', content: 'LATE' }] });
  const msg = (await (await waiting).json()) as any;
  expect(msg.content[0].text).toBe('after #2');
  await expect(server.waitFor((r) => r.actor === 'nobody', 100)).rejects.toThrow(/no request matched/);
});
