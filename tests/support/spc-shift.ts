/**
 * An agent that raises SPC violations within seconds, for tests that need real ones: short
 * ticks, X̄-S subgroups of 4 and a baseline of 8 on GPU temperature, and the stand-in
 * nvidia-smi shifting every GPU's temperature by +20 °C after 12 s.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './processes.ts';

/** The environment that makes the stand-in nvidia-smi inject the shift. */
export const SHIFT_ENV = { SIGMASCOPE_FAKE_NVIDIA_SHIFT: 'temperature.gpu:+20:12000' } as const;

/** Writes the agent config (in a new temp dir) and returns its path, for `--config`. */
export function shiftConfigFile(): string {
  const file = join(tempDir('sigmascope-config-'), 'agent.yaml');
  writeFileSync(file, [
    'sampler: { intervalMs: 250 }',
    'telemetry: { gpuIntervalMs: 250 }',
    'spc:',
    '  series:',
    '    - { metric: hw.gpu.temperature, chart: xbar-s, subgroup: 4, baseline: 8, rules: "nelson1,nelson2,nelson5" }',
    '',
  ].join('\n'));
  return file;
}
