/**
 * Alertmanager's inhibition (`inhibit/inhibit.go`, 0.25) over a set of firing alerts: which of them
 * the inhibit rules mute, and which alert mutes each.
 */
import { configMatchers, matchesAll, type Matcher } from "../matchers/matcher.js";
import type { InhibitRuleConfig, LabelSet } from "./types.js";

/** A muted alert: its index in the input, the rule that mutes it and the index of the alert that does. */
export interface InhibitedAlert {
  readonly alert: number;
  readonly labels: LabelSet;
  readonly rule: number;
  readonly source: number;
}

interface ParsedRule {
  readonly source: Matcher[];
  readonly target: Matcher[];
  readonly equal: readonly string[];
}

function parseRule(r: InhibitRuleConfig): ParsedRule {
  return {
    source: configMatchers(r.source_matchers, r.source_match, r.source_match_re),
    target: configMatchers(r.target_matchers, r.target_match, r.target_match_re),
    equal: r.equal ?? [],
  };
}

/**
 * The alerts (all firing) that the rules mute, in input order, each with the first rule that mutes
 * it, as Alertmanager's `Inhibitor.Mutes`: an alert T is muted by a rule when T matches the target
 * matchers and some firing alert S matches the source matchers with every `equal` label the same
 * in S and T (a label absent from both counts as equal, as both read as ""). When T also matches
 * the source matchers, sources that also match the target matchers do not count; so an alert never
 * mutes itself, and two alerts that both match both sides do not mute each other.
 */
export function inhibited(
  rules: readonly InhibitRuleConfig[],
  alerts: readonly LabelSet[],
): InhibitedAlert[] {
  const parsed = rules.map(parseRule);
  const out: InhibitedAlert[] = [];
  alerts.forEach((target, t) => {
    for (const [ri, rule] of parsed.entries()) {
      if (!matchesAll(rule.target, target)) continue;
      const excludeTwoSided = matchesAll(rule.source, target);
      const source = alerts.findIndex(
        (s) =>
          matchesAll(rule.source, s) &&
          rule.equal.every((n) => (s[n] ?? "") === (target[n] ?? "")) &&
          !(excludeTwoSided && matchesAll(rule.target, s)),
      );
      if (source >= 0) {
        out.push({ alert: t, labels: target, rule: ri, source });
        return;
      }
    }
  });
  return out;
}
