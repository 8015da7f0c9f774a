// Live feed fan-out: a real collector, a real agent (stand-in nvidia-smi with 8 GPUs), and N
// open pages subscribed to /api/v1/live. Prints the collector's CPU (% of one core) with 0 pages
// and with N pages in the same run, and the sample → page latency the pages saw (p50/p99).
// Usage: node bench/live-fanout.mjs [pages=500] [seconds=30]
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuSeconds, ROOT, runCli, sleep, startCli, waitForOutput } from './support/processes.mjs';

const root = ROOT;
const pages = Number(process.argv[2] ?? 500);
const seconds = Number(process.argv[3] ?? 30);

const pct = (xs, q) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] : null);

const data = mkdtempSync(join(tmpdir(), 'bench-live-'));
const token = (args) => runCli(['token', 'create', ...args, '--data', data]);
const viewer = token(['viewer', '--role', 'viewer']);
const agentToken = token(['bench-agent']);
const collector = startCli(['collector', '--listen', '127.0.0.1', '--port', '0', '--data', data]);
const port = Number(await waitForOutput(collector, /listening on http:\/\/127\.0\.0\.1:(\d+)/));
const agent = startCli(['agent', '--collector', `ws://127.0.0.1:${port}/ingest`, '--data', mkdtempSync(join(tmpdir(), 'bench-agent-')), '--status-port', '0', '--name', 'bench-agent'], {
  SIGMASCOPE_TOKEN: agentToken, PATH: `${join(root, 'tests', 'support', 'bin')}:${process.env.PATH}`, SIGMASCOPE_FAKE_GPUS: '8',
});
await waitForOutput(agent, /status page on http:\/\/127\.0\.0\.1:(\d+)/);
await sleep(3_000);

async function measure(label, n) {
  const latencies = [];
  const reqs = [];
  for (let i = 0; i < n; i++) {
    const req = http.get({ host: '127.0.0.1', port, path: '/api/v1/live', headers: { authorization: `Bearer ${viewer}` }, agent: false }, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        buf += chunk;
        let end;
        while ((end = buf.indexOf('\n\n')) >= 0) {
          const msg = buf.slice(0, end);
          buf = buf.slice(end + 2);
          // One page in fifty parses frames for latency: parsing every copy would measure this bench, not the collector.
          if (i % 50 !== 0) continue;
          const line = msg.split('\n').find((l) => l.startsWith('data: '));
          if (!line) continue;
          const now = Date.now();
          for (const p of JSON.parse(line.slice(6)).points) latencies.push(now - p.ts);
        }
      });
    });
    req.on('error', () => {});
    reqs.push(req);
  }
  await sleep(2_000);
  latencies.length = 0;
  const c0 = cpuSeconds(collector.child.pid);
  const t0 = Date.now();
  await sleep(seconds * 1000);
  const cpu = ((cpuSeconds(collector.child.pid) - c0) / ((Date.now() - t0) / 1000)) * 100;
  for (const r of reqs) r.destroy();
  await sleep(500);
  return { label, pages: n, collector_cpu_pct_of_core: Number(cpu.toFixed(2)), latency_ms_p50: pct(latencies, 0.5), latency_ms_p99: pct(latencies, 0.99), points_seen: latencies.length };
}

const baseline = await measure('no pages', 0);
const loaded = await measure(`${pages} pages`, pages);
console.log(JSON.stringify({ seconds, baseline, loaded, push_path_cpu_pct_of_core: Number((loaded.collector_cpu_pct_of_core - baseline.collector_cpu_pct_of_core).toFixed(2)) }, null, 2));
agent.child.kill('SIGTERM');
collector.child.kill('SIGTERM');
