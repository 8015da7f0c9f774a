// How often the collector's incidents are right, in real time: --fleets collectors (real
// `sigmascope collector` processes, default settings), each fed by --agents virtual agents over
// loopback (tests/support/fleet-sim: the real protocol, probes every 2–5 s, 10 min of history
// first), each running --rounds seeded rounds one after another. A round injects one fault of a
// kind taken in turn (provider slowdown 1.6–3.5× of a random hosted provider or model, GPU or CPU
// saturation of a random host, 30–150 ms more per round trip on a random host's path) or nothing
// (a quiet control), with its onset drawn 10–40 s into the round; the fault lasts --fault-seconds,
// and the next round starts once every incident has resolved. The API is polled every 2 s to
// record each incident's cause when first seen.
//
// Prints JSON: per kind the faults, how many were right (exactly one incident, right cause and
// scope: the provider for provider faults, exactly the one host otherwise), the cause as first
// seen, time from onset to opened (p50, p90, max; real collector time), and the incidents that
// belong to no fault (quiet rounds and quiet periods of fault rounds alike). Progress on stderr.
//
// Usage: node bench/incident-accuracy.mjs [--fleets 2] [--rounds 8] [--agents 12] [--seed 1] [--fault-seconds 150]
import { importBundle, parseArgs } from './support/bundle.mjs';
import { ROOT } from './support/processes.mjs';

const args = parseArgs(process.argv.slice(2));
const FLEETS = Number(args.fleets ?? 2);
const ROUNDS = Number(args.rounds ?? 8);
const AGENTS = Number(args.agents ?? 12);
const SEED = Number(args.seed ?? 1);
const FAULT_MS = Number(args['fault-seconds'] ?? 150) * 1000;
const KINDS = ['provider', 'host', 'network', 'quiet'];

const m = await importBundle('incident-accuracy', [
  `export { FleetSim } from '${ROOT}/tests/support/fleet-sim/fleet-sim.ts';`,
  `export { simFleet } from '${ROOT}/tests/support/fleet-sim/fleet-model.ts';`,
  `export { scenarioFaults } from '${ROOT}/tests/support/fleet-sim/scenarios.ts';`,
  `export { scoreScenario } from '${ROOT}/tests/support/fleet-sim/scenario-score.ts';`,
  `export { describeFault, expectedScope } from '${ROOT}/tests/support/fleet-sim/faults.ts';`,
  `export { startCollector, createAgentToken } from '${ROOT}/tests/support/fleet.ts';`,
  `export { getJson, killAll, sleep, stop } from '${ROOT}/tests/support/processes.ts';`,
]);

const log = (...xs) => console.error(new Date().toISOString().slice(11, 19), ...xs);
const quantile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? null : s[Math.min(s.length - 1, Math.floor(p * s.length))];
};

/** One collector and its fleet through its rounds; returns the faults, every incident, and each incident's cause when first seen. */
async function runFleet(f) {
  const collector = await m.startCollector();
  const hosts = m.simFleet(SEED * 1000 + f, AGENTS);
  const tokens = new Map(hosts.map((h) => [h.id, m.createAgentToken(collector, h.id)]));
  const faults = [];
  const sim = await m.FleetSim.start({ url: `ws://127.0.0.1:${collector.port}/ingest`, tokens, hosts, faults: () => faults, historyMs: 10 * 60_000 });
  const firstCause = new Map();
  const incidents = async () => (await m.getJson(collector.url('/api/v1/incidents?state=all&limit=5000'), collector.viewerToken)).incidents;
  const poll = async () => {
    for (const i of await incidents()) if (!firstCause.has(i.id)) firstCause.set(i.id, i.cause);
  };
  const timer = setInterval(() => void poll().catch(() => {}), 2_000);
  const rounds = [];
  try {
    for (let r = 0; r < ROUNDS; r++) {
      const kind = KINDS[(r + f) % KINDS.length];
      const start = Date.now();
      const added = m.scenarioFaults(SEED * 100_000 + f * 1000 + r, kind, hosts, start + 10_000, start + 40_000, FAULT_MS);
      faults.push(...added);
      rounds.push({ kind, start, faults: added });
      log(`fleet ${f} round ${r + 1}/${ROUNDS}: ${added.map(m.describeFault).join(', ') || 'quiet'}`);
      const end = added.length > 0 ? Math.max(...added.map((x) => x.end)) : start + 240_000;
      await m.sleep(end - Date.now() + 5_000);
      // The next round starts once nothing is open (a resolve takes resolveAfterSeconds of quiet).
      for (const deadline = Date.now() + 600_000; Date.now() < deadline;) {
        if ((await incidents()).every((i) => i.state === 'resolved')) break;
        await m.sleep(5_000);
      }
    }
    await poll();
    return { faults, all: await incidents(), firstCause, rounds };
  } finally {
    clearInterval(timer);
    await sim.stop();
    await m.stop(collector.proc);
  }
}

const started = Date.now();
let results;
try {
  results = await Promise.all(Array.from({ length: FLEETS }, (_, f) => runFleet(f)));
} finally {
  m.killAll();
}
const byKind = {};
const falses = [];
const opened = [];
for (const { faults, all, firstCause } of results) {
  const s = m.scoreScenario(faults, all);
  falses.push(...s.falseIncidents.map((i) => `${i.cause} ${i.scope.provider ?? ''} ${i.scope.agents.join(',')}: ${i.summary}`));
  for (const fs of s.faults) {
    const k = (byKind[fs.fault.kind] ??= { faults: 0, right: 0, causeFirstSeenRight: 0, openedAfterS: [], wrong: [] });
    k.faults++;
    if (fs.right) k.right++;
    else k.wrong.push(`${m.describeFault(fs.fault)}: ${fs.problems.join('; ')}`);
    const first = fs.incidents[0];
    if (first !== undefined && firstCause.get(first.id) === m.expectedScope(fs.fault).cause) k.causeFirstSeenRight++;
    if (fs.openedAfterMs !== null) {
      k.openedAfterS.push(fs.openedAfterMs / 1000);
      opened.push(fs.openedAfterMs / 1000);
    }
  }
}
const faultsTotal = Object.values(byKind).reduce((a, k) => a + k.faults, 0);
const rightTotal = Object.values(byKind).reduce((a, k) => a + k.right, 0);
const summary = (xs) => ({ p50: quantile(xs, 0.5), p90: quantile(xs, 0.9), max: quantile(xs, 1) });
console.log(JSON.stringify({
  fleets: FLEETS, agentsPerFleet: AGENTS, rounds: FLEETS * ROUNDS, quietRounds: results.flatMap((r) => r.rounds).filter((r) => r.kind === 'quiet').length, faultSeconds: FAULT_MS / 1000,
  wallMinutes: Math.round((Date.now() - started) / 60_000),
  faults: faultsTotal, right: rightTotal, accuracy: faultsTotal === 0 ? null : Number((rightTotal / faultsTotal).toFixed(3)),
  openedAfterSeconds: summary(opened), openedWithin90s: opened.filter((x) => x <= 90).length,
  falseIncidents: falses.length, falseIncidentSummaries: falses,
  byKind: Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k, { ...v, openedAfterS: summary(v.openedAfterS) }])),
}, null, 2));
