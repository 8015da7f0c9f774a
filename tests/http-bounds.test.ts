/**
 * Bounds on the collector's HTTP inputs, against a real collector process (RELIABILITY.md F5 and
 * issue 16's bounds): bodies over the limit are answered 413 before the handler runs (with a
 * Content-Length, and chunked without one), and a token is checked before any body is read.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchBuilder } from '../protocol/src/batch.ts';
import { encodeFrame } from '../protocol/src/codec.ts';
import { series } from '../protocol/src/series.ts';
import { createAgentToken, startCollector } from './support/fleet.ts';
import type { CollectorHandle } from './support/fleet.ts';
import { getJson, killAll, runCli, stop } from './support/processes.ts';
import { connectAgent } from './support/ws-agent.ts';

let collector: CollectorHandle;
let admin: string;
let violation: number;

interface Answer { status: number; body: string; sentBytes: number; ms: number }

/**
 * POSTs a JSON body of `total` bytes over a raw socket, chunked unless `contentLength`, writing at
 * most `upTo` of them (then waiting, the upload unfinished) and stopping early once an answer or
 * a close comes. Resolves with the status, the answer's body and how many body bytes were written.
 */
function post(path: string, token: string | null, total: number, contentLength: boolean, upTo = total): Promise<Answer> {
  const started = Date.now();
  const body = Buffer.alloc(total, 'x');
  body.write('{"state":"acknowledged","pad":"', 0);
  body.write('"}', total - 2);
  return new Promise((resolve) => {
    let sent = 0;
    let answer = '';
    let done = false;
    const socket = connect(collector.port, '127.0.0.1');
    const finish = (): void => {
      if (done) return;
      done = true;
      socket.destroy();
      const [head = '', rest = ''] = answer.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1] ?? 0), body: rest, sentBytes: sent, ms: Date.now() - started });
    };
    socket.on('connect', () => {
      socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${token ? `Authorization: Bearer ${token}\r\n` : ''}${contentLength ? `Content-Length: ${total}` : 'Transfer-Encoding: chunked'}\r\n\r\n`);
      const write = (): void => {
        while (sent < upTo && answer === '' && !socket.destroyed) {
          const chunk = body.subarray(sent, Math.min(total, sent + 16_384));
          sent += chunk.length;
          const ok = socket.write(contentLength ? chunk : Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]));
          if (!ok) return void socket.once('drain', write);
        }
        if (sent >= total && !contentLength && !socket.destroyed) socket.write('0\r\n\r\n');
      };
      write();
    });
    socket.on('data', (d: Buffer) => {
      answer += d.toString();
      const m = /content-length: (\d+)/i.exec(answer);
      const at = answer.indexOf('\r\n\r\n');
      if (m && at >= 0 && answer.length >= at + 4 + Number(m[1])) finish();
    });
    socket.on('close', finish);
    socket.on('error', () => {});
  });
}

const state = async (): Promise<string | undefined> => (await getJson<{ violations: { id: number; state: string }[] }>(collector.url('/api/v1/violations?from=0'), collector.viewerToken)).violations.find((v) => v.id === violation)?.state;

beforeAll(async () => {
  collector = await startCollector();
  admin = runCli(['token', 'create', 'bounds-admin', '--role', 'admin', '--data', collector.dataDir]).stdout.trim();
  const agent = await connectAgent(`ws://127.0.0.1:${collector.port}/ingest`, createAgentToken(collector, 'bounds-agent'));
  agent.send({ t: 'hello', proto: 1, agentVersion: 't', bootId: 'b', stream: 's', hostname: 'h', clock: Date.now() });
  const b = new BatchBuilder();
  const ts = Date.now();
  b.add(series('hw.gpu.utilization', { 'hw.id': 'GPU-0' }), ts, 1);
  b.addEvent({ kind: 'spc', ts, name: 'hw.gpu.utilization', labels: { 'hw.id': 'GPU-0' }, rule: '1', value: 1, center: 0.5, sigma: 0.1 });
  agent.send(encodeFrame(b.seal(1, ts)));
  await agent.waitFor(2);
  await agent.close();
  const v = await getJson<{ violations: { id: number; state: string }[] }>(collector.url('/api/v1/violations?from=0'), collector.viewerToken);
  violation = (v.violations[0] as { id: number }).id;
});
afterAll(async () => {
  await stop(collector.proc);
  killAll();
});

describe('request bodies', () => {
  it('answers 413 before the handler runs, with a Content-Length and chunked', async () => {
    const withLength = await post(`/api/v1/violations/${violation}`, admin, 256 * 1024, true);
    expect(withLength.status, withLength.body).toBe(413);
    expect(JSON.parse(withLength.body)).toEqual({ error: { code: 'too_large', message: 'bodies are limited to 65536 bytes' } });
    const chunked = await post(`/api/v1/violations/${violation}`, admin, 256 * 1024, false);
    expect(chunked.status, chunked.body).toBe(413);
    // The handler would have acknowledged it: it never ran.
    expect(await state()).toBe('open');
    const small = await post(`/api/v1/violations/${violation}`, admin, 200, true);
    expect(small.status, small.body).toBe(200);
    expect(await state()).toBe('acknowledged');
  });

  it('checks the token before reading a body, and answers a huge upload long before its end', async () => {
    // A stranger announcing 64 MiB is answered from the headers alone: no body byte is sent here.
    const anonymous = await post(`/api/v1/violations/${violation}`, null, 64 * 1024 * 1024, false, 0);
    expect(anonymous.status).toBe(401);
    expect(anonymous.sentBytes).toBe(0);
    // An admin's 64 MiB upload is answered once 1 MiB of it has come: 63 MiB never had to be sent.
    const big = await post(`/api/v1/violations/${violation}`, admin, 64 * 1024 * 1024, false, 1024 * 1024);
    expect(big.status).toBe(413);
    expect(big.sentBytes).toBeLessThanOrEqual(1024 * 1024);
  });
});

/** Opens a raw connection that sends `head` and then one more byte of it every second; resolves with what came back and when the socket closed. */
function trickle(head: string, everyMs = 1_000): Promise<{ answer: string; closedAfterMs: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    let answer = '';
    const socket = connect(collector.port, '127.0.0.1', () => socket.write(head));
    const timer = setInterval(() => socket.writable && socket.write('X'), everyMs);
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ answer, closedAfterMs: Date.now() - started });
    });
  });
}

describe('slow clients', () => {
  it('are cut off: headers within 10 s, a request within 30 s, while agents keep streaming', async () => {
    const agent = await connectAgent(`ws://127.0.0.1:${collector.port}/ingest`, createAgentToken(collector, 'beside-slow-clients'));
    agent.send({ t: 'hello', proto: 1, agentVersion: 't', bootId: 'b', stream: 'slow', hostname: 'h', clock: Date.now() });
    await agent.waitFor(1);
    // A hundred clients trickling their headers (slowloris) and one trickling a body.
    const headers = Array.from({ length: 100 }, () => trickle('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: '));
    const body = trickle(`POST /api/v1/violations/${violation} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${admin}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"state":"`);
    // Meanwhile the agent's batches are stored and acknowledged, and health answers at once.
    for (let seq = 1; seq <= 20; seq++) {
      const b = new BatchBuilder();
      b.add(series('system.cpu.utilization'), Date.now(), seq / 20);
      agent.send(encodeFrame(b.seal(seq, Date.now())));
      await agent.waitFor(1 + seq, 5_000);
      const t = Date.now();
      expect((await fetch(collector.url('/healthz'))).status).toBe(200);
      expect(Date.now() - t).toBeLessThan(2_000);
      await new Promise((r) => setTimeout(r, 250));
    }
    const slow = await Promise.all(headers);
    for (const s of slow) {
      expect(s.answer).toMatch(/^HTTP\/1\.1 408 /);
      expect(s.closedAfterMs).toBeGreaterThanOrEqual(9_000);
      expect(s.closedAfterMs).toBeLessThan(13_000);
    }
    const b = await body;
    expect(b.closedAfterMs).toBeGreaterThanOrEqual(29_000);
    expect(b.closedAfterMs).toBeLessThan(33_000);
    expect(await state()).toBe('acknowledged'); // as the first test left it: the trickled body never reached the handler
    await agent.close();
  }, 60_000);
});
