import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from '@sigmascope/protocol/log';
import { scratchDirs } from '../../../../tests/support/scratch-dirs.ts';
import { loadCollectorConfig } from '../../config/collector-config.ts';
import { loadAlertsConfig } from './alerts-config.ts';

const freshDir = scratchDirs('alerts-config-');
const SECRET = `whsec_${Buffer.alloc(24, 7).toString('base64')}`;
const hook = { name: 'ops-hook', type: 'webhook', url: 'https://hooks.example/sigmascope', secret: SECRET };
const load = (alerts: unknown, env: Record<string, string> = {}) => loadAlertsConfig(alerts, 'collector.yaml: alerts', env);
const fails = (alerts: unknown, env: Record<string, string> = {}): string => {
  try {
    load(alerts, env);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('alerts config', () => {
  it('takes the DESIGN.md example with its defaults', () => {
    const c = load({
      channels: [hook, { name: 'ops-slack', type: 'slack', url: 'https://hooks.slack.com/services/T/B/X' }, { name: 'ops-mail', type: 'email', smtp: { host: 'smtp.example', port: 587, secure: false, user: 'u', pass: 'p' }, from: 'sigmascope@example.com', to: ['oncall@example.com'] }],
      rules: [{ name: 'provider-down', on: 'incident', match: { cause: 'provider' }, channels: ['ops-hook', 'ops-slack', 'ops-mail'] }, { name: 'gpu-hot', on: 'threshold', metric: 'hw.gpu.temperature', above: 85, for: '60s', channels: ['ops-mail'] }],
      repeatInterval: '4h',
    });
    expect(c.repeatIntervalMs).toBe(4 * 3_600_000);
    expect(c.rules[1]).toMatchObject({ on: 'threshold', above: 85, below: null, forMs: 60_000, recover: 85 });
    expect(c.channels[2]).toMatchObject({ smtp: { host: 'smtp.example', port: 587, secure: false, requireTLS: false, user: 'u', pass: 'p' } });
    expect(Object.isFrozen(c.rules[0])).toBe(true);
  });

  it('reads secrets from a file or the environment, and masks them in logs', () => {
    const file = join(freshDir(), 'secret');
    writeFileSync(file, `${SECRET}\n`);
    const c = load({ channels: [{ ...hook, secret: { file } }, { name: 's', type: 'slack', url: { env: 'SLACK_URL' } }] }, { SLACK_URL: 'https://hooks.slack.com/services/T9/B9/secret-part-xyz' });
    expect(c.channels[0]).toMatchObject({ secret: SECRET });
    expect(redact(`posting to https://hooks.slack.com/services/T9/B9/secret-part-xyz with ${SECRET}`)).toBe('posting to [REDACTED] with [REDACTED]');
    expect(fails({ channels: [{ name: 's', type: 'slack', url: { env: 'NOPE' } }] })).toBe('collector.yaml: alerts.channels[0].url.env: the environment variable NOPE is not set');
    expect(fails({ channels: [{ ...hook, secret: { file: '/nonexistent/secret' } }] })).toBe('collector.yaml: alerts.channels[0].secret.file: cannot read "/nonexistent/secret" (ENOENT)');
  });

  it('refuses bad values naming them, but never shows a secret', () => {
    expect(fails({ channels: [{ ...hook, secret: 'whsec_short' }] })).not.toContain('short');
    expect(fails({ channels: [{ name: 's', type: 'slack', url: 'not a url with-secret-token' }] })).not.toContain('with-secret-token');
    expect(fails({ channels: [hook], rules: [{ name: 'r', on: 'threshold', metric: 'hw.gpu.temperature', above: 85, recover: 90, channels: ['ops-hook'] }] })).toBe('collector.yaml: alerts.rules[0].recover: 90 must be at or below above (85): the alert clears once the value falls to it');
    expect(fails({ channels: [hook], rules: [{ name: 'r', on: 'threshold', metric: 'hw.gpu.temperature', above: 85, for: 'a minute', channels: ['ops-hook'] }] })).toMatch(/^collector\.yaml: alerts\.rules\[0\]\.for: "a minute" is not a duration/);
    expect(fails({ channels: [hook], rules: [{ name: 'r', on: 'threshold', metric: 'hw.gpu.temperature', above: 85, channels: ['pager'] }] })).toBe('collector.yaml: alerts.rules[0].channels[0]: no channel named "pager" (channels: ops-hook)');
    expect(fails({ rules: [{ name: 'r', on: 'treshold' }] })).toMatch(/^collector\.yaml: alerts\.rules\[0\]\.on: "treshold" is not one of incident, spc, threshold/);
  });

  it('unknown keys are errors that suggest the nearest known one', () => {
    expect(fails({ repeatInterva: '1h' })).toMatch(/^collector\.yaml: alerts\.repeatInterva: unknown setting \(did you mean "repeatInterval"\?\)/);
    expect(fails({ channels: [hook], rules: [{ name: 'r', on: 'threshold', metric: 'hw.gpu.temperature', abvoe: 85, channels: ['ops-hook'] }] })).toMatch(/alerts\.rules\[0\]\.abvoe: unknown setting \(did you mean "above"\?\)/);
  });

  it('is part of the collector config, as are the slos', () => {
    const c = loadCollectorConfig({ alerts: { evaluateEvery: '2s' }, slos: [{ provider: 'openai', metric: 'gen_ai.client.operation.time_to_first_chunk', usl: 1.5 }] }, 'collector.yaml', {}, {});
    expect(c.alerts.evaluateEveryMs).toBe(2_000);
    expect(c.slos[0]).toMatchObject({ provider: 'openai', model: null, usl: 1.5, lsl: null, transform: 'log' });
    expect(() => loadCollectorConfig({ slos: [{ provider: 'openai', metric: 'gen_ai.client.operation.time_to_first_chunk', lsl: 2, usl: 1 }] }, 'collector.yaml', {}, {})).toThrow('collector.yaml: slos[0].lsl: 2 must be below usl (1)');
  });
});
