/**
 * `sigmascope bench <run|replay|compare|report>`: benchmarks and experiments (DESIGN.md
 * "Benchmarks and experiments"). This file only dispatches; each subcommand has its own module.
 */
import { ConfigError } from '@sigmascope/protocol/config-error';

const USAGE = `Usage: sigmascope bench <subcommand> [options]

  run SUITE.yaml      run a suite; writes run.json and requests.jsonl
  replay RUN          run a recorded run's configuration again (refuses a changed dataset)
  compare RUN_A RUN_B compare two runs with statistics; exit 1 on a regression
  report RUN [RUN_B]  a report as html, pdf, csv or json

Run 'sigmascope bench <subcommand> --help' for its options.`;

interface Io {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly out: (text: string) => void;
}

/** Runs `bench ARGV`; resolves to the exit code. */
export async function benchCommand(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'run':
      return (await import('./bench-run.ts')).benchRun(rest, io);
    case 'replay':
      return (await import('./bench-run.ts')).benchReplay(rest, io);
    case 'compare':
      return (await import('./compare/bench-compare.ts')).benchCompare(rest, io);
    case 'report':
      return (await import('./report/bench-report.ts')).benchReport(rest, io);
    case undefined:
    case '--help':
    case '-h':
      io.out(`${USAGE}\n`);
      return sub === undefined ? 2 : 0;
    default:
      throw new ConfigError('bench', `unknown subcommand ${JSON.stringify(sub)}\n\n${USAGE}`);
  }
}

/** The CLI entry of `bench`. */
export function run(argv: string[]): Promise<number> {
  return benchCommand(argv, { env: process.env, out: (t) => process.stdout.write(t) });
}
