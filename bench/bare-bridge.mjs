/**
 * A bare bridge: a JSON round's essential work written by hand, with nothing else, for the relay
 * benchmark to set beside the bridge. It reads the webhook's body, claims the round with the bridge's own
 * claim (one INSERT that returns the conversation's turns, committed before the model call, on a
 * database migrated by the shipped migrations, WAL, synchronous=NORMAL), calls the model over a
 * keep-alive pool with the request the bridge made (`MODEL_REQUEST`, the visitor's question in place of
 * its last message), parses its event stream with eventsource-parser, replies in Sobot's envelope and
 * then stores the answer. No validation, routing, logging, metrics, deadlines or retries: what is left
 * between it and the floor relay is the work any bridge must do; what is left between it and the bridge
 * is the bridge's own structure. Plain JavaScript, run without tsx, as the bridge runs from its bundle.
 */
import { Agent, createServer, request as httpRequest } from 'node:http';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { createParser } from 'eventsource-parser';

const sqlite = new Database(process.env.DATABASE_PATH);
sqlite.pragma('journal_mode = WAL');
sqlite.pragma('synchronous = NORMAL');
migrate(drizzle({ client: sqlite }), { migrationsFolder: new URL('../drizzle', import.meta.url).pathname });
const claim = sqlite.prepare(`
  insert into rounds (cid, roundid, companyid, robotid, question, input_type, msg_type, robot_model, req_stream,
                      request, status, created_at, updated_at)
  values (?, ?, ?, ?, ?, ?, 'TEXT', ?, 0, ?, 'running', ?, ?) on conflict (cid, roundid) do nothing
  returning id, (select json_group_array(json_array(id, question, show_question, msg_type, answer_text))
    from (select earlier.id, earlier.question, earlier.show_question, earlier.msg_type, earlier.answer_text
          from rounds as earlier
          where earlier.cid = rounds.cid and earlier.created_at >= ? and earlier.id < rounds.id
            and earlier.status = 'succeeded' and earlier.input_type <> 'WELCOME'
          order by earlier.id desc limit 10)) as turns`);
const complete = sqlite.prepare(`
  update rounds set status = 'succeeded', answer_text = ?, items = ?, latency_ms = ?, completed_at = ?, updated_at = ?
  where id = ?`);
const modelRequest = JSON.parse(process.env.MODEL_REQUEST ?? '{}');
const upstream = new URL(`${process.env.UPSTREAM_URL}/chat/completions`);
const agent = new Agent({ keepAlive: true });
const HISTORY_MS = 30 * 60_000;

/** Calls the model with the question; hands its whole text to `done` at `[DONE]`. */
function askModel(question, done) {
  const body = JSON.stringify({
    ...modelRequest,
    messages: [...modelRequest.messages.slice(0, -1), { role: 'user', content: question }],
  });
  let text = '';
  const parser = createParser({
    onEvent: ({ data }) => {
      if (data === '[DONE]') return done(text);
      text += JSON.parse(data).choices?.[0]?.delta?.content ?? '';
    },
  });
  const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
  const call = httpRequest(upstream, { method: 'POST', agent, headers }, (answer) => {
    answer.setEncoding('utf8');
    answer.on('data', (piece) => parser.feed(piece));
  });
  call.on('error', () => done(''));
  call.end(body);
}

const server = createServer((incoming, outgoing) => {
  let raw = '';
  incoming.setEncoding('utf8');
  incoming.on('data', (piece) => (raw += piece));
  incoming.on('end', () => {
    const receivedAt = Date.now();
    const round = JSON.parse(raw);
    const [cid, roundid, companyid] = [round.ai_agent_cid, round.roundid, round.companyid ?? null];
    const claimed = claim.get(
      cid,
      roundid,
      companyid,
      round.robotid ?? null,
      round.question,
      round.input_type_enum,
      round.robot_model ?? null,
      raw,
      receivedAt,
      receivedAt,
      receivedAt - HISTORY_MS,
    );
    // A repeat of a round (the benchmark never sends one): no second answer.
    if (!claimed) return void outgoing.writeHead(409).end();
    askModel(round.question, (text) => {
      const item = { answer_type: 'GENERAL', robot_answer_message_type: 'MESSAGE', lan: 'en', llm_answer: text };
      const items = [{ ...item, roundid, companyid, message_end: true }];
      const reply = JSON.stringify({ ret_code: '000000', ret_msg: 'success', data: items });
      outgoing.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(reply) });
      outgoing.end(reply);
      const now = Date.now();
      complete.run(text, JSON.stringify(items), now - receivedAt, now, now, claimed.id);
    });
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
