/**
 * The command lines of a process and all its descendants, as any user of the host can read them
 * (/proc/PID/cmdline, what `ps` shows), sampled over a while so short-lived children (an
 * inventory run, a buffer check) are seen too.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** pid → parent pid, for every process now. */
function parents(): Map<number, number> {
  const out = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // The command may hold spaces and parentheses: the fields after the last ')' are fixed.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      out.set(Number(name), ppid);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** `root` and every descendant alive now. */
export function processTree(root: number): number[] {
  const ppid = parents();
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, parent] of ppid) if (!tree.has(pid) && tree.has(parent)) (tree.add(pid), (grew = true));
  }
  return [...tree].filter((p) => p === root || ppid.has(p));
}

/** The argument vector of `pid` as /proc shows it, or null once it is gone. */
export function commandLine(pid: number): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a) => a !== '');
  } catch {
    return null;
  }
}

/** Samples the tree under each root every `everyMs` for `forMs`; returns every distinct command line seen. */
export async function watchCommandLines(roots: () => readonly number[], forMs: number, everyMs = 15): Promise<string[][]> {
  const seen = new Map<string, string[]>();
  const end = Date.now() + forMs;
  while (Date.now() < end) {
    for (const root of roots()) {
      for (const pid of processTree(root)) {
        const argv = commandLine(pid);
        if (argv !== null && argv.length > 0) seen.set(argv.join('\0'), argv);
      }
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return [...seen.values()];
}
