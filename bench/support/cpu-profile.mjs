// A CPU profile of a process running the built CLI (node --cpu-prof), summarised: self time by
// function and by source file, mapped back through dist/'s source maps to the TypeScript that
// runs (dependencies by package), and the inclusive time of named stages.
import { readdirSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const round = (x, d = 0) => Math.round(x * 10 ** d) / 10 ** d;

/**
 * Summarises the one .cpuprofile in `profileDir`: self time by file and by function (top 25, % of
 * all samples), and `stages` (name → [function name, source file name]) as the % of busy
 * (non-idle) samples spent in that function and everything it called; `other` is the rest.
 */
export function profileSummary(profileDir, stages = {}) {
  const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) return null;
  const prof = JSON.parse(readFileSync(join(profileDir, file), 'utf8'));
  const maps = new Map();
  const mapFor = (url) => {
    if (!maps.has(url)) {
      try {
        maps.set(url, new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, 'utf8'))));
      } catch {
        maps.set(url, null);
      }
    }
    return maps.get(url);
  };
  const byFn = new Map();
  const byFile = new Map();
  let total = 0;
  for (const n of prof.nodes) {
    const { functionName, url, lineNumber, columnNumber } = n.callFrame;
    let where = url === '' ? (functionName.startsWith('(') ? functionName : `(native ${functionName})`) : url;
    let line = lineNumber + 1;
    if (url.startsWith('file:')) {
      const entry = url.includes('/dist/') ? mapFor(url)?.findEntry(lineNumber, columnNumber) : undefined;
      if (entry?.originalSource) {
        where = entry.originalSource.replace(/^(\.\.\/)+/, '').replace(/^.*?\/(protocol|agent|collector|web|cli)\//, '$1/');
        line = entry.originalLine + 1;
      } else where = fileURLToPath(url).replace(/^.*\/node_modules\/((@[^/]+\/)?[^/]+).*$/, 'node_modules/$1');
    } else if (url.startsWith('node:')) where = 'node internals';
    const fnKey = url === '' ? where : `${functionName || '(anonymous)'} ${where}:${line}`;
    byFn.set(fnKey, (byFn.get(fnKey) ?? 0) + n.hitCount);
    byFile.set(where, (byFile.get(where) ?? 0) + n.hitCount);
    total += n.hitCount;
  }
  const top = (m, k) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, hits]) => ({ name, pct: round((100 * hits) / total, 1) }));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const stageHits = Object.fromEntries(Object.keys(stages).map((k) => [k, 0]));
  let idle = 0;
  const walk = (node, inStage) => {
    const { functionName, url } = node.callFrame;
    let stage = inStage;
    if (stage === null) for (const [k, [fn, file]] of Object.entries(stages)) if (functionName === fn && originalFile(node) === file) stage = k;
    if (stage !== null) stageHits[stage] += node.hitCount;
    if (url === '' && functionName === '(idle)') idle += node.hitCount;
    for (const c of node.children ?? []) walk(byId.get(c), stage);
  };
  const originalFile = (node) => {
    const { url, lineNumber, columnNumber } = node.callFrame;
    if (!url.startsWith('file:') || !url.includes('/dist/')) return null;
    return mapFor(url)?.findEntry(lineNumber, columnNumber)?.originalSource?.replace(/^.*\//, '') ?? null;
  };
  walk(prof.nodes[0], null);
  const busy = total - idle;
  const by_stage = Object.fromEntries(Object.entries(stageHits).map(([k, h]) => [k, round((100 * h) / busy, 1)]));
  by_stage.other = round(100 - Object.values(by_stage).reduce((a, b) => a + b, 0), 1);
  return { busy_pct_by_stage: by_stage, by_file: top(byFile, 25), by_function: top(byFn, 25) };
}

