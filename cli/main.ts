/**
 * `sigmascope <command>`: one binary, one module per command, loaded on demand so that the
 * agent never loads the collector's dependencies. Exit codes: 0 ok, 1 runtime failure, 2 usage.
 */
import { ConfigError } from '@sigmascope/protocol/config-error';
import { didYouMean } from '@sigmascope/protocol/suggest';
import { StartError } from './listen-error.ts';

type CommandModule = { run(argv: string[]): Promise<number> };

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  start: { summary: 'run a collector and a local agent together; prints the dashboard URL', load: () => import('./start.ts') },
  agent: { summary: 'run the agent: sample this host, probe providers, ship to a collector', load: () => import('./agent.ts') },
  collector: { summary: 'run the collector: ingest, store, API and dashboard', load: () => import('./collector.ts') },
  token: { summary: 'manage agent tokens on the collector (token create NAME)', load: () => import('./token.ts') },
  audit: { summary: 'read the collector\'s audit log on the collector host', load: () => import('./audit.ts') },
  keys: { summary: 'manage provider API keys on the agent (set, list, rm)', load: () => import('./keys.ts') },
  probe: { summary: 'probe an LLM endpoint now and print timings', load: () => import('./probe.ts') },
  spc: { summary: 'statistical process control on a CSV (spc check FILE.csv)', load: () => import('./spc.ts') },
  bench: { summary: 'benchmark suites: run, replay, compare (a CI gate), report', load: () => import('./bench/bench-command.ts') },
  detect: { summary: 'anomalies in a CSV column: time and score of each (detect FILE.csv)', load: () => import('./detect.ts') },
};

export const USAGE = `Usage: sigmascope <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join('\n')}

Run 'sigmascope <command> --help' for a command's options.
Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error.`;

/** Runs one command line; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    console.log(VERSION);
    return 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    console.error(`sigmascope: unknown command ${JSON.stringify(name)}${didYouMean(name, Object.keys(COMMANDS))}\n\n${USAGE}`);
    return 2;
  }
  try {
    return await (await command.load()).run(rest);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`sigmascope ${name}: ${err.message}`);
      return 2;
    }
    if (err instanceof StartError) {
      console.error(`sigmascope ${name}: ${err.message}`);
      return 1;
    }
    console.error(`sigmascope ${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  }
}

export const VERSION = '0.1.0';
