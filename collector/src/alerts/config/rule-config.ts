/**
 * The `alerts.rules` list: what to watch, one kind per rule (`on`), and which channels hear of it.
 * Each kind's own settings are checked here; the evaluators in ../rules/ receive them frozen.
 */
import { ConfigError } from '@sigmascope/protocol/config-error';
import { enumValue, intValue, stringValue } from '@sigmascope/protocol/config-fields';
import { INCIDENT_CAUSES } from '@sigmascope/protocol/incident';
import type { IncidentCause } from '@sigmascope/protocol/incident';
import { LABEL_NAME_PATTERN, METRIC_NAME_PATTERN } from '@sigmascope/protocol/series';
import { durationValue } from './duration.ts';
import { strictSection } from './strict-keys.ts';

export const RULE_KINDS = ['incident', 'spc', 'threshold', 'probe_errors', 'agent_offline', 'budget'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

interface RuleBase {
  readonly name: string;
  readonly channels: readonly string[];
  /** Labels whose values make one alert; null: one alert per condition (series, agent, incident). */
  readonly groupBy: readonly string[] | null;
}

/** Matchers over a condition's labels (`agent` is the agent id); `*` and `?` are wildcards. */
export type Matchers = Readonly<Record<string, string>>;

export interface IncidentRuleConfig extends RuleBase {
  readonly on: 'incident';
  readonly match: { readonly cause: IncidentCause | null; readonly provider: string | null; readonly model: string | null; readonly agent: string | null };
}
export interface SpcRuleConfig extends RuleBase {
  readonly on: 'spc';
  /** Matched against the violated series' labels plus `name`, `rule` and `agent`. */
  readonly match: Matchers;
  /** An episode ends once no violation came for this long (ms). */
  readonly quietMs: number;
}
export interface ThresholdRuleConfig extends RuleBase {
  readonly on: 'threshold';
  readonly metric: string;
  readonly labels: Matchers;
  readonly above: number | null;
  readonly below: number | null;
  /** The condition must hold this long (ms) before it fires. */
  readonly forMs: number;
  /** Hysteresis: a firing condition clears only past this value (default: the threshold itself). */
  readonly recover: number;
}
export interface ProbeErrorsRuleConfig extends RuleBase {
  readonly on: 'probe_errors';
  readonly match: Matchers;
  readonly windowMs: number;
  /** Error rate (0..1) above which it fires. */
  readonly above: number;
  readonly recover: number;
  readonly minProbes: number;
}
export interface AgentOfflineRuleConfig extends RuleBase {
  readonly on: 'agent_offline';
  readonly match: Matchers;
  readonly forMs: number;
}
export interface BudgetRuleConfig extends RuleBase {
  readonly on: 'budget';
  readonly match: Matchers;
  /** Spend (USD) over the rolling window above which it fires. */
  readonly limitUsd: number;
  readonly windowMs: number;
  /** Spend is summed per these keys (`agent`, gen_ai labels); empty: the whole fleet. */
  readonly by: readonly string[];
}

export type RuleConfig = IncidentRuleConfig | SpcRuleConfig | ThresholdRuleConfig | ProbeErrorsRuleConfig | AgentOfflineRuleConfig | BudgetRuleConfig;

const COMMON = ['name', 'on', 'channels', 'groupBy'];
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const DAY = 86_400_000;

/** Parses the rules list; names are unique and every channel named exists. */
export function ruleConfigs(raw: unknown, where: string, channelNames: ReadonlySet<string>): RuleConfig[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new ConfigError(where, 'must be a list of rules');
  const seen = new Set<string>();
  return raw.map((item, i) => {
    const at = `${where}[${i}]`;
    const on = enumValue((item as { on?: unknown } | null)?.on, `${at}.on`, RULE_KINDS);
    const r = ruleConfig(item, at, on, channelNames);
    if (seen.has(r.name)) throw new ConfigError(`${at}.name`, `${JSON.stringify(r.name)} is used by another rule`);
    seen.add(r.name);
    return Object.freeze(r);
  });
}

function ruleConfig(raw: unknown, at: string, on: RuleKind, channelNames: ReadonlySet<string>): RuleConfig {
  const known = { incident: ['match'], spc: ['match', 'quiet'], threshold: ['metric', 'labels', 'above', 'below', 'for', 'recover'], probe_errors: ['match', 'window', 'above', 'recover', 'minProbes'], agent_offline: ['match', 'for'], budget: ['match', 'limitUsd', 'window', 'by'] }[on];
  const s = strictSection(raw, at, [...COMMON, ...known]);
  const base: RuleBase = { name: stringValue(s.name, `${at}.name`, NAME, 'a rule name'), channels: channelList(s.channels, `${at}.channels`, channelNames), groupBy: labelList(s.groupBy, `${at}.groupBy`) };
  switch (on) {
    case 'incident': {
      const m = strictSection(s.match, `${at}.match`, ['cause', 'provider', 'model', 'agent']);
      const opt = (k: string): string | null => (m[k] === undefined ? null : stringValue(m[k], `${at}.match.${k}`));
      return { ...base, on, match: Object.freeze({ cause: m.cause === undefined ? null : enumValue(m.cause, `${at}.match.cause`, INCIDENT_CAUSES), provider: opt('provider'), model: opt('model'), agent: opt('agent') }) };
    }
    case 'spc':
      return { ...base, on, match: matchers(s.match, `${at}.match`), quietMs: s.quiet === undefined ? 300_000 : durationValue(s.quiet, `${at}.quiet`, 1_000, DAY) };
    case 'threshold': {
      const metric = stringValue(s.metric, `${at}.metric`, METRIC_NAME_PATTERN, 'a metric name such as hw.gpu.temperature');
      if ((s.above === undefined) === (s.below === undefined)) throw new ConfigError(at, 'give exactly one of above or below');
      const above = s.above === undefined ? null : finite(s.above, `${at}.above`);
      const below = s.below === undefined ? null : finite(s.below, `${at}.below`);
      const threshold = (above ?? below) as number;
      const recover = s.recover === undefined ? threshold : finite(s.recover, `${at}.recover`);
      if (above !== null && recover > above) throw new ConfigError(`${at}.recover`, `${recover} must be at or below above (${above}): the alert clears once the value falls to it`);
      if (below !== null && recover < below) throw new ConfigError(`${at}.recover`, `${recover} must be at or above below (${below}): the alert clears once the value rises to it`);
      return { ...base, on, metric, labels: matchers(s.labels, `${at}.labels`), above, below, forMs: s.for === undefined ? 0 : durationValue(s.for, `${at}.for`, 0, DAY), recover };
    }
    case 'probe_errors': {
      const above = s.above === undefined ? 0.5 : ratio(s.above, `${at}.above`);
      const recover = s.recover === undefined ? above : ratio(s.recover, `${at}.recover`);
      if (recover > above) throw new ConfigError(`${at}.recover`, `${recover} must be at or below above (${above})`);
      return { ...base, on, match: matchers(s.match, `${at}.match`), windowMs: s.window === undefined ? 300_000 : durationValue(s.window, `${at}.window`, 1_000, DAY), above, recover, minProbes: s.minProbes === undefined ? 3 : intValue(s.minProbes, `${at}.minProbes`, 1, 100_000) };
    }
    case 'agent_offline':
      return { ...base, on, match: matchers(s.match, `${at}.match`), forMs: s.for === undefined ? 120_000 : durationValue(s.for, `${at}.for`, 1_000, 30 * DAY) };
    case 'budget': {
      const limitUsd = finite(s.limitUsd, `${at}.limitUsd`);
      if (!(limitUsd > 0)) throw new ConfigError(`${at}.limitUsd`, `${limitUsd} is not a positive amount of USD`);
      return { ...base, on, match: matchers(s.match, `${at}.match`), limitUsd, windowMs: s.window === undefined ? DAY : durationValue(s.window, `${at}.window`, 60_000, 31 * DAY), by: labelList(s.by, `${at}.by`) ?? [] };
    }
  }
}

function channelList(raw: unknown, where: string, known: ReadonlySet<string>): string[] {
  if (!Array.isArray(raw) || raw.length === 0) throw new ConfigError(where, `${JSON.stringify(raw)} is not a list of channel names`);
  return raw.map((c, i) => {
    const name = stringValue(c, `${where}[${i}]`);
    if (!known.has(name)) throw new ConfigError(`${where}[${i}]`, `no channel named ${JSON.stringify(name)} (channels: ${[...known].join(', ') || 'none'})`);
    return name;
  });
}

function labelList(raw: unknown, where: string): string[] | null {
  if (raw === undefined) return null;
  if (!Array.isArray(raw)) throw new ConfigError(where, `${JSON.stringify(raw)} is not a list of label names`);
  return raw.map((l, i) => stringValue(l, `${where}[${i}]`, LABEL_NAME_PATTERN, 'a label name (or agent, rule)'));
}

function matchers(raw: unknown, where: string): Matchers {
  if (raw === undefined || raw === null) return Object.freeze({});
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(where, 'must be a mapping of label: value');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!LABEL_NAME_PATTERN.test(k)) throw new ConfigError(`${where}.${k}`, 'is not a label name');
    out[k] = typeof v === 'number' ? String(v) : stringValue(v, `${where}.${k}`);
  }
  return Object.freeze(out);
}

function finite(raw: unknown, where: string): number {
  const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new ConfigError(where, `${JSON.stringify(raw)} is not a number`);
  return n;
}

function ratio(raw: unknown, where: string): number {
  const n = finite(raw, where);
  if (n < 0 || n > 1) throw new ConfigError(where, `${n} is not an error rate in [0, 1]`);
  return n;
}
