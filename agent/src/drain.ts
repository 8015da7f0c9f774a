/**
 * `sigmascope agent --drain`: ship everything in the buffer to the collector, then exit, without
 * sampling. For decommissioning a host, and for the delivery checks: after a drain the buffer's
 * counters are final, `produced = acked + dropped`.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@sigmascope/protocol/log';
import { openLmdbBuffer } from './buffer/lmdb-buffer.ts';
import type { BufferStats } from './buffer/frame-buffer.ts';
import type { AgentConfig } from './config/agent-config.ts';
import { newBootId, readLegacyStream } from './identity.ts';
import { AGENT_VERSION } from './version.ts';
import { Uplink } from './uplink/uplink.ts';
import { loadUplinkTls } from './uplink/uplink-tls.ts';

export type DrainResult = { readonly ok: true; readonly stats: BufferStats } | { readonly ok: false; readonly reason: string; readonly stats: BufferStats };

/** Sends the buffer until it is empty or `timeoutMs` passes. */
export async function drainBuffer(config: AgentConfig, log: Logger, timeoutMs: number): Promise<DrainResult> {
  const uplinkTls = config.collector.url === null ? {} : loadUplinkTls(config.collector.tls);
  const buffer = openLmdbBuffer({ dir: join(config.dataDir, 'buffer'), capBytes: config.buffer.capBytes, log, legacyStream: readLegacyStream(config.dataDir) });
  if (config.collector.url === null || config.collector.token === null) {
    const stats = buffer.stats();
    await buffer.close();
    return { ok: false, reason: 'no collector configured', stats };
  }
  const bootId = newBootId();
  const uplink = new Uplink({
    url: config.collector.url, token: config.collector.token, tokens: () => config.collector.tokens, tls: uplinkTls, buffer, log, ...config.uplink,
    hello: () => ({ agentVersion: AGENT_VERSION, bootId, hostname: hostname(), clock: Date.now() }),
  });
  uplink.start();
  const deadline = Date.now() + timeoutMs;
  while (buffer.stats().frames > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await uplink.stop();
  const stats = buffer.stats();
  await buffer.close();
  return stats.frames === 0 ? { ok: true, stats } : { ok: false, reason: `${stats.frames} frames still buffered after ${timeoutMs} ms (${uplink.status().lastError ?? 'no error'})`, stats };
}
