/**
 * The `probes.inference` list: local inference servers to scrape beside the GPU.
 *
 *   inference:
 *     - { kind: vllm, url: http://127.0.0.1:8000/metrics }          # Prometheus text
 *     - { kind: tgi, url: http://127.0.0.1:8080/metrics }
 *     - { kind: llamacpp, url: http://127.0.0.1:8081/metrics }      # llama-server --metrics
 *     - { kind: ollama, url: http://127.0.0.1:11434/api/ps, intervalMs: 2000 }
 */
import { ConfigError } from '@sigmascope/protocol/config-error';
import { enumValue, intValue, section, urlValue } from '@sigmascope/protocol/config-fields';

export const INFERENCE_KINDS = ['vllm', 'tgi', 'llamacpp', 'ollama'] as const;
export type InferenceKind = (typeof INFERENCE_KINDS)[number];

export interface InferenceTarget {
  readonly kind: InferenceKind;
  readonly url: string;
  /** Scrape period; the sampler's tick (500 ms) by default, so the series sit beside the GPU's. */
  readonly intervalMs: number;
  readonly timeoutMs: number;
}

/** Validates the raw list. Throws ConfigError naming the first bad value. */
export function parseInferenceConfig(raw: unknown, where: string): readonly InferenceTarget[] {
  if (raw === undefined || raw === null) return Object.freeze([]);
  if (!Array.isArray(raw)) throw new ConfigError(where, 'must be a list of { kind, url }');
  return Object.freeze(raw.map((r, i) => {
    const w = `${where}[${i}]`;
    const s = section(r, w, ['kind', 'url', 'intervalMs', 'timeoutMs']);
    const intervalMs = s.intervalMs === undefined ? 500 : intValue(s.intervalMs, `${w}.intervalMs`, 100, 3_600_000);
    return Object.freeze({
      kind: enumValue(s.kind, `${w}.kind`, INFERENCE_KINDS),
      url: urlValue(s.url, `${w}.url`, ['http:', 'https:']),
      intervalMs,
      timeoutMs: s.timeoutMs === undefined ? Math.min(1_000, intervalMs) : intValue(s.timeoutMs, `${w}.timeoutMs`, 50, 60_000),
    });
  }));
}
