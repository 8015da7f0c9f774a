/**
 * The rule catalogue: Nelson rules 1–8 and Western Electric rules 1–4, named as they appear in
 * events, the API and the CLI (`nelson1`…`nelson8`, `we1`…`we4`), and the named sets.
 *
 * Conventions (R's qcc 3.0, `qccRulesViolating*`): zone tests are strict except Nelson 7; a rule
 * is reported at the point that completes its pattern and at every later point while the pattern
 * still holds; 2-of-3 and 4-of-5 report only a point that is itself beyond the zone on that side.
 */

/** Nelson rules 1–8. */
export const NELSON_RULES = ['nelson1', 'nelson2', 'nelson3', 'nelson4', 'nelson5', 'nelson6', 'nelson7', 'nelson8'] as const;
/** Western Electric rules 1–4. */
export const WE_RULES = ['we1', 'we2', 'we3', 'we4'] as const;
/** Every rule, in the order results list rules that fire at the same point. */
export const RULE_IDS = [...NELSON_RULES, ...WE_RULES] as const;

/** A rule name as it appears in events, the API and the CLI. */
export type RuleId = (typeof RULE_IDS)[number];

/** One line per rule, for tables, help text and the dashboard. */
export const RULE_DESCRIPTIONS: Readonly<Record<RuleId, string>> = {
  nelson1: 'one point beyond 3σ',
  nelson2: '9 points in a row on one side of the centre',
  nelson3: '6 points in a row steadily rising or falling',
  nelson4: '14 points in a row alternating up and down',
  nelson5: '2 of 3 points beyond 2σ on the same side',
  nelson6: '4 of 5 points beyond 1σ on the same side',
  nelson7: '15 points in a row within 1σ of the centre',
  nelson8: '8 points in a row beyond 1σ with points on both sides',
  we1: 'one point beyond 3σ',
  we2: '2 of 3 points beyond 2σ on the same side',
  we3: '4 of 5 points beyond 1σ on the same side',
  we4: '8 points in a row on one side of the centre',
};

/** Named rule sets accepted wherever a rule list is. */
export const RULE_SETS: Readonly<Record<string, readonly RuleId[]>> = {
  nelson: NELSON_RULES,
  we: WE_RULES,
};

/** One rule firing at one plotted point (`index` 0-based into the chart's points). */
export interface Violation {
  readonly rule: RuleId;
  readonly index: number;
}

/** The outcome of parseRuleList: the rules, or why the text is not a rule list. */
export type RuleListResult = { readonly ok: true; readonly rules: readonly RuleId[] } | { readonly ok: false; readonly error: string };

const RULE_SET_NAMES = new Set<string>(RULE_IDS);

/** True when `name` is a rule id. */
export function isRuleId(name: string): name is RuleId {
  return RULE_SET_NAMES.has(name);
}

/**
 * Parses `nelson`, `we`, or a comma-separated list of rule ids and set names
 * (`nelson1,nelson2,we4`). The result is de-duplicated and in RULE_IDS order. Never throws.
 */
export function parseRuleList(text: string): RuleListResult {
  const chosen = new Set<RuleId>();
  const parts = text.split(',').map((p) => p.trim().toLowerCase());
  for (const part of parts) {
    const set = RULE_SETS[part];
    if (set !== undefined) for (const r of set) chosen.add(r);
    else if (isRuleId(part)) chosen.add(part);
    else return { ok: false, error: `unknown rule ${JSON.stringify(part)} (expected nelson, we, or a list of ${RULE_IDS.join(', ')})` };
  }
  if (chosen.size === 0) return { ok: false, error: 'no rules given' };
  return { ok: true, rules: RULE_IDS.filter((r) => chosen.has(r)) };
}

/** Orders violations by point, then by rule catalogue order: the order every result uses. */
export function compareViolations(a: Violation, b: Violation): number {
  return a.index - b.index || RULE_IDS.indexOf(a.rule) - RULE_IDS.indexOf(b.rule);
}
