/**
 * A bad configuration value or command-line flag. Thrown while a process reads its configuration,
 * before anything starts; the CLI prints `message` and exits with code 2.
 */
export class ConfigError extends Error {
  /** Where the value came from, e.g. `--port`, `agent.yaml: sampler.intervalMs`, `SIGMASCOPE_TOKEN`. */
  readonly where: string;
  constructor(where: string, message: string) {
    super(`${where}: ${message}`);
    this.name = 'ConfigError';
    this.where = where;
  }
}
