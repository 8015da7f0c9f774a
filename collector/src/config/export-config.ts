/**
 * The scale-out part of the collector's configuration (docs/scale-out.md): `remoteWrite` and
 * `otlp` endpoints, and the `query` backend. Checked here, once, with the key that is wrong in the
 * message; collector-config.ts folds it into the frozen config. Header values (credentials) are
 * kept but never printed: a bad header names its key, not its value.
 */
import { ConfigError } from '@sigmascope/protocol/config-error';
import { enumValue, intValue, section, stringValue, urlValue } from '@sigmascope/protocol/config-fields';

export interface ExportEndpointConfig {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** A batch holds whole intake records until it has about this many samples. */
  readonly maxSamplesPerSend: number;
  readonly timeoutMs: number;
}

export interface QueryConfig {
  /** `local`: the embedded store (the default); `prometheus`: the engine's Prometheus HTTP API at `url`. */
  readonly backend: 'local' | 'prometheus';
  readonly url: string | null;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

export interface ScaleOutConfig {
  readonly remoteWrite: readonly ExportEndpointConfig[];
  readonly otlp: readonly ExportEndpointConfig[];
  readonly query: QueryConfig;
}

const ENDPOINT_KEYS = ['url', 'headers', 'maxSamplesPerSend', 'timeoutSeconds'];
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const RESERVED_HEADERS = new Set(['content-encoding', 'content-type', 'content-length', 'x-prometheus-remote-write-version', 'host']);

/** Reads `remoteWrite`, `otlp` and `query` of a config file; `at(key)` names a key in messages. */
export function loadScaleOutConfig(file: Record<string, unknown>, at: (key: string) => string, env: Readonly<Record<string, string | undefined>>): ScaleOutConfig {
  const query = section(file.query, at('query'), ['backend', 'url', 'headers', 'timeoutSeconds']);
  const backendRaw = env.SIGMASCOPE_QUERY_BACKEND || query.backend;
  const backend = backendRaw === undefined ? 'local' : enumValue(backendRaw, env.SIGMASCOPE_QUERY_BACKEND ? 'SIGMASCOPE_QUERY_BACKEND' : at('query.backend'), ['local', 'prometheus'] as const);
  const urlRaw = env.SIGMASCOPE_QUERY_URL || query.url;
  const urlWhere = env.SIGMASCOPE_QUERY_URL ? 'SIGMASCOPE_QUERY_URL' : at('query.url');
  if (backend === 'prometheus' && urlRaw === undefined) throw new ConfigError(at('query.url'), 'is required with query.backend: prometheus (the engine\'s base URL, e.g. http://tsdb:8428)');
  const remoteWrite = endpoints(file.remoteWrite, at('remoteWrite'), 10_000);
  const otlp = endpoints(file.otlp, at('otlp'), 5_000);
  const seen = new Set<string>();
  for (const [list, name] of [[remoteWrite, 'remoteWrite'], [otlp, 'otlp']] as const) {
    for (const e of list) {
      if (seen.has(`${name} ${e.url}`)) throw new ConfigError(at(name), `${JSON.stringify(e.url)} is listed twice`);
      seen.add(`${name} ${e.url}`);
    }
  }
  return Object.freeze({
    remoteWrite,
    otlp,
    query: Object.freeze({
      backend,
      url: urlRaw === undefined ? null : urlValue(urlRaw, urlWhere, ['http:', 'https:']).replace(/\/+$/, ''),
      headers: headers(query.headers, at('query.headers')),
      timeoutMs: query.timeoutSeconds === undefined ? 10_000 : intValue(query.timeoutSeconds, at('query.timeoutSeconds'), 1, 600) * 1000,
    }),
  });
}

function endpoints(raw: unknown, where: string, defaultBatch: number): readonly ExportEndpointConfig[] {
  if (raw === undefined || raw === null) return Object.freeze([]);
  if (!Array.isArray(raw)) throw new ConfigError(where, 'must be a list of endpoints, e.g. [{url: "http://tsdb:8428/api/v1/write"}]');
  return Object.freeze(
    raw.map((item, i) => {
      const w = `${where}[${i}]`;
      const e = section(item, w, ENDPOINT_KEYS);
      return Object.freeze({
        url: urlValue(e.url, `${w}.url`, ['http:', 'https:']),
        headers: headers(e.headers, `${w}.headers`),
        maxSamplesPerSend: e.maxSamplesPerSend === undefined ? defaultBatch : intValue(e.maxSamplesPerSend, `${w}.maxSamplesPerSend`, 1, 1_000_000),
        timeoutMs: e.timeoutSeconds === undefined ? 30_000 : intValue(e.timeoutSeconds, `${w}.timeoutSeconds`, 1, 600) * 1000,
      });
    }),
  );
}

function headers(raw: unknown, where: string): Readonly<Record<string, string>> {
  if (raw === undefined || raw === null) return Object.freeze({});
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(where, 'must be a mapping of header names to values');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (!HEADER_NAME.test(k)) throw new ConfigError(`${where}.${k}`, 'is not a valid HTTP header name');
    if (RESERVED_HEADERS.has(k.toLowerCase())) throw new ConfigError(`${where}.${k}`, 'is set by the protocol and cannot be overridden');
    // The value may be a credential: the message never shows it.
    if (typeof v !== 'string' || /[\r\n]/.test(v)) throw new ConfigError(`${where}.${k}`, 'must be a one-line string');
    out[k] = stringValue(v, `${where}.${k}`);
  }
  return Object.freeze(out);
}
