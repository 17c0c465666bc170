// A scripted stand-in for the Anthropic Messages API, so tests can drive the real `claude`
// binary offline. The script is a list of actors (conversations the test expects: the main
// agent, each sub-agent) matched by a predicate on the request, each with a list of turns.
//
// Why the turn index is derived from the request (number of assistant messages already in
// `messages`) instead of a per-actor counter: several conversations run in parallel (the main
// agent plus sub-agents started in one message), the client may retry a request, and one actor
// may match several conversations (e.g. "any sub-agent"). Deriving it from the request is
// stateless, so it is right in all three cases.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// ---------------------------------------------------------------------------------------------
// Request shapes (only what tests need; the client sends more)

export interface TextBlock {
  type: 'text';
  text: string;
  [k: string]: unknown;
}
export interface ToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: Record<string, unknown>;
}
export interface ToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  content?: string | Array<{ type: string; text?: string }>;
  is_error?: boolean;
}
export type ContentBlock = TextBlock | ToolUseBlock | ToolResultBlock | { type: string; [k: string]: unknown };
export interface Message {
  role: 'user' | 'assistant';
  content: string | ContentBlock[];
}
export interface MessagesBody {
  model: string;
  messages: Message[];
  system?: string | Array<{ type: string; text: string }>;
  tools?: Array<{ name: string; [k: string]: unknown }>;
  stream?: boolean;
  max_tokens?: number;
  [k: string]: unknown;
}

// ---------------------------------------------------------------------------------------------
// Script shapes

/** What a turn answers with. `id` of a tool_use is generated when omitted. */
export type OutBlock =
  { type: 'text'; text: string } | { type: 'tool_use'; name: string; input: Record<string, unknown>; id?: string };

export interface TurnContext {
  body: MessagesBody;
  /** 0 for the first model answer in this conversation. */
  turn: number;
  actor: string;
  /** tool_result blocks of the last user message, with their text flattened. */
  toolResults: Array<{
    tool_use_id: string;
    text: string;
    is_error: boolean;
    toolName?: string;
    input?: Record<string, unknown>;
  }>;
  /** Text of the first user message (all text blocks joined). */
  firstUserText: string;
  server: ModelServer;
}

export type Turn = OutBlock[] | ((ctx: TurnContext) => OutBlock[] | Promise<OutBlock[]>);

export interface Actor {
  name: string;
  match: (body: MessagesBody, info: { firstUserText: string; systemText: string }) => boolean;
  turns: Turn[];
  /** Text answered once the turns are used up (default "done"). */
  finalText?: string;
}

export interface RecordedRequest {
  seq: number;
  method: string;
  path: string;
  kind: 'messages' | 'count_tokens' | 'side' | 'other';
  body: unknown;
  /** For kind messages: the actor that answered, or undefined when unmatched/side. */
  actor?: string;
  turn?: number;
  unmatched?: boolean;
  /** What the server answered (content blocks), for kind messages. */
  response?: Array<Record<string, unknown>>;
  at: number;
}

// ---------------------------------------------------------------------------------------------
// Request helpers (exported: turns and assertions use them)

export function blocksOf(m: Message | undefined): ContentBlock[] {
  if (!m) return [];
  return typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content;
}

export function textOf(m: Message | undefined): string {
  return blocksOf(m)
    .map((b) => (b.type === 'text' ? String((b as TextBlock).text) : ''))
    .join('\n');
}

export function toolResultText(b: ToolResultBlock): string {
  if (typeof b.content === 'string') return b.content;
  if (!Array.isArray(b.content)) return '';
  return b.content.map((c) => (c.type === 'text' ? (c.text ?? '') : '')).join('\n');
}

export function systemTextOf(body: MessagesBody): string {
  if (!body.system) return '';
  return typeof body.system === 'string' ? body.system : body.system.map((s) => s.text ?? '').join('\n');
}

export function firstUserTextOf(body: MessagesBody): string {
  return textOf(body.messages?.find((m) => m.role === 'user'));
}

/** All tool_result blocks in the conversation, oldest first, each with the tool_use it answers. */
export function allToolResults(body: MessagesBody): TurnContext['toolResults'] {
  const uses = new Map<string, ToolUseBlock>();
  const out: TurnContext['toolResults'] = [];
  for (const m of body.messages ?? []) {
    for (const b of blocksOf(m)) {
      if (b.type === 'tool_use') uses.set((b as ToolUseBlock).id, b as ToolUseBlock);
      if (b.type === 'tool_result') {
        const r = b as ToolResultBlock;
        const u = uses.get(r.tool_use_id);
        out.push({
          tool_use_id: r.tool_use_id,
          text: toolResultText(r),
          is_error: r.is_error === true,
          toolName: u?.name,
          input: u?.input,
        });
      }
    }
  }
  return out;
}

function lastToolResults(body: MessagesBody): TurnContext['toolResults'] {
  const last = body.messages?.[body.messages.length - 1];
  if (!last || last.role !== 'user') return [];
  const ids = new Set(
    blocksOf(last)
      .filter((b) => b.type === 'tool_result')
      .map((b) => (b as ToolResultBlock).tool_use_id),
  );
  return allToolResults(body).filter((r) => ids.has(r.tool_use_id));
}

// Predicates for Actor.match ------------------------------------------------------------------

/** The conversation's first user message contains `marker` (the -p prompt, or an Agent prompt). */
export const firstUserIncludes =
  (marker: string): Actor['match'] =>
  (_b, i) =>
    i.firstUserText.includes(marker);

/** The request comes from a sub-agent (2.1.330 marks them in the billing header of `system`). */
export const isSubagentRequest = (body: MessagesBody): boolean => systemTextOf(body).includes('cc_is_subagent=true');

/**
 * Side requests the client makes on its own (title/topic generation, quota probes, summaries):
 * they carry no tools. Real agent turns (main and sub-agents) always carry the tool list.
 */
export function isSideRequest(body: MessagesBody): boolean {
  return !Array.isArray(body.tools) || body.tools.length === 0;
}

// ---------------------------------------------------------------------------------------------
// Server

export interface ModelServer {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** /v1/messages requests no actor matched (answered with end_turn "ok"). */
  unmatched(): RecordedRequest[];
  /** Agent-turn requests (not side requests) answered by `actor`, in arrival order. */
  requestsOf(actor: string): RecordedRequest[];
  /** Every tool_result the model received in `actor`'s conversations (last request wins). */
  toolResultsOf(actor: string): TurnContext['toolResults'];
  /** Replaces the script (e.g. between runs against one server). */
  setScript(actors: Actor[]): void;
  /**
   * Resolves with the first recorded request matching `pred` (already seen or arriving later).
   * Orders parallel sub-agents from inside a turn function, e.g. hold B's turn until A's second
   * request arrived (A's first tool call has then run):
   * `async (ctx) => { await ctx.server.waitFor((r) => r.actor === 'A' && r.turn === 1); return [...] }`.
   */
  waitFor(pred: (r: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  close(): Promise<void>;
}

export interface ModelServerOptions {
  actors?: Actor[];
  /** Write each request's summary to stderr (debugging a script). Also env JITP_MODEL_LOG=1. */
  log?: boolean;
}

let idCounter = 0;
function newId(prefix: string): string {
  idCounter += 1;
  const rand = Math.random().toString(36).slice(2, 8);
  return `${prefix}${Date.now().toString(36)}${idCounter.toString(36).padStart(4, '0')}${rand}`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function materialise(blocks: OutBlock[]): Array<Record<string, unknown>> {
  return blocks.map((b) =>
    b.type === 'tool_use'
      ? { type: 'tool_use', id: b.id ?? newId('toolu_'), name: b.name, input: b.input }
      : { type: 'text', text: b.text },
  );
}

function usage(outputTokens: number) {
  return { input_tokens: 10, output_tokens: outputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
}

function sendJson(res: ServerResponse, status: number, obj: unknown): void {
  const s = JSON.stringify(obj);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(s) });
  res.end(s);
}

function sendMessage(
  res: ServerResponse,
  model: string,
  content: Array<Record<string, unknown>>,
  stream: boolean,
): void {
  const stopReason = content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn';
  const id = newId('msg_');
  const message = {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: usage(20),
  };
  if (!stream) return sendJson(res, 200, message);
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'request-id': `req_${id}`,
  });
  const ev = (name: string, data: unknown) => res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  ev('message_start', {
    type: 'message_start',
    message: { ...message, content: [], stop_reason: null, usage: usage(1) },
  });
  content.forEach((b, index) => {
    if (b.type === 'tool_use') {
      ev('content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: b.id, name: b.name, input: {} },
      });
      const json = JSON.stringify(b.input ?? {});
      // Two deltas, so the client's partial-JSON assembly is really exercised.
      const cut = Math.floor(json.length / 2);
      for (const part of [json.slice(0, cut), json.slice(cut)]) {
        ev('content_block_delta', {
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json: part },
        });
      }
    } else {
      ev('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
      ev('content_block_delta', {
        type: 'content_block_delta',
        index,
        delta: { type: 'text_delta', text: String(b.text) },
      });
    }
    ev('content_block_stop', { type: 'content_block_stop', index });
  });
  ev('message_delta', {
    type: 'message_delta',
    delta: { stop_reason: stopReason, stop_sequence: null },
    usage: { output_tokens: 20 },
  });
  ev('message_stop', { type: 'message_stop' });
  res.end();
}

export async function startModelServer(opts: ModelServerOptions = {}): Promise<ModelServer> {
  let actors = opts.actors ?? [];
  const log = opts.log || process.env.JITP_MODEL_LOG === '1';
  const requests: RecordedRequest[] = [];
  let seq = 0;

  async function answerMessages(rec: RecordedRequest, body: MessagesBody, res: ServerResponse): Promise<void> {
    const stream = body.stream === true;
    const model = body.model ?? 'claude-sonnet-4-5';
    if (isSideRequest(body)) {
      rec.kind = 'side';
      const content = [{ type: 'text', text: 'Scripted test session' }];
      rec.response = content;
      return sendMessage(res, model, content, stream);
    }
    const firstUserText = firstUserTextOf(body);
    const systemText = systemTextOf(body);
    const actor = actors.find((a) => a.match(body, { firstUserText, systemText }));
    const turn = (body.messages ?? []).filter((m) => m.role === 'assistant').length;
    rec.turn = turn;
    let content: Array<Record<string, unknown>>;
    if (!actor) {
      rec.unmatched = true;
      content = [{ type: 'text', text: 'ok' }];
    } else {
      rec.actor = actor.name;
      const t = actor.turns[turn];
      if (t === undefined) {
        content = [{ type: 'text', text: actor.finalText ?? 'done' }];
      } else {
        const blocks =
          typeof t === 'function'
            ? await t({ body, turn, actor: actor.name, toolResults: lastToolResults(body), firstUserText, server })
            : t;
        content = materialise(blocks);
      }
    }
    rec.response = content;
    if (log) {
      process.stderr.write(
        `[model] #${rec.seq} ${rec.actor ?? 'UNMATCHED'} turn ${turn} <- ` +
          `${JSON.stringify(firstUserText.slice(0, 80))} -> ${content
            .map((c) => (c.type === 'tool_use' ? `tool_use ${String(c.name)}` : 'text'))
            .join(', ')}\n`,
      );
    }
    sendMessage(res, model, content, stream);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      /* keep raw text */
    }
    seq += 1;
    const rec: RecordedRequest = {
      seq,
      method: req.method ?? 'GET',
      path: url.pathname,
      kind: 'other',
      body,
      at: Date.now(),
    };
    requests.push(rec);
    if (req.method === 'POST' && url.pathname === '/v1/messages/count_tokens') {
      rec.kind = 'count_tokens';
      return sendJson(res, 200, { input_tokens: 10 });
    }
    if (req.method === 'POST' && url.pathname === '/v1/messages' && body && typeof body === 'object') {
      rec.kind = 'messages';
      return answerMessages(rec, body as MessagesBody, res);
    }
    if (log) process.stderr.write(`[model] #${rec.seq} other ${rec.method} ${url.pathname}\n`);
    // Anything else (e.g. account or settings probes): an empty 404 in the API's error shape,
    // which the client treats as "feature not available" rather than a fatal error.
    sendJson(res, 404, { type: 'error', error: { type: 'not_found_error', message: `not scripted: ${url.pathname}` } });
  }

  const http: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      process.stderr.write(`[model] handler error: ${String((err as Error)?.stack ?? err)}\n`);
      if (!res.headersSent) sendJson(res, 500, { type: 'error', error: { type: 'api_error', message: String(err) } });
      else res.end();
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;

  const server: ModelServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    unmatched: () => requests.filter((r) => r.unmatched),
    requestsOf: (name) => requests.filter((r) => r.kind === 'messages' && r.actor === name),
    toolResultsOf(name) {
      const seen = new Map<string, TurnContext['toolResults'][number]>();
      for (const r of requests) {
        if (r.kind !== 'messages' || r.actor !== name) continue;
        for (const tr of allToolResults(r.body as MessagesBody)) seen.set(tr.tool_use_id, tr);
      }
      return [...seen.values()];
    },
    setScript(a) {
      actors = a;
    },
    async waitFor(pred, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = requests.find(pred);
        if (hit) return hit;
        if (Date.now() > deadline) throw new Error(`model server: no request matched within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
  return server;
}

// ---------------------------------------------------------------------------------------------
// Block builders for scripts

export const say = (text: string): OutBlock => ({ type: 'text', text });
export const toolUse = (name: string, input: Record<string, unknown>): OutBlock => ({ type: 'tool_use', name, input });
export const writeFile = (file_path: string, content: string): OutBlock => toolUse('Write', { file_path, content });
export const editFile = (file_path: string, old_string: string, new_string: string): OutBlock =>
  toolUse('Edit', { file_path, old_string, new_string });
export const readFile = (file_path: string): OutBlock => toolUse('Read', { file_path });
export const bash = (command: string, description = 'run a command'): OutBlock =>
  toolUse('Bash', { command, description });
/**
 * An Agent (sub-agent) call. 2.1.330 in -p mode starts sub-agents in the BACKGROUND unless
 * run_in_background is false: the parent's tool_result is then only "Async agent launched"
 * and the sub-agent's report arrives later as a task-notification user message. Foreground
 * (the default here) gives the report in the tool_result, like an interactive session would.
 */
export const agent = (
  prompt: string,
  opts: { description?: string; subagent_type?: string; run_in_background?: boolean; isolation?: 'worktree' } = {},
): OutBlock =>
  toolUse('Agent', {
    description: opts.description ?? prompt.slice(0, 30),
    prompt,
    subagent_type: opts.subagent_type ?? 'general-purpose',
    run_in_background: opts.run_in_background ?? false,
    ...(opts.isolation ? { isolation: opts.isolation } : {}),
  });
