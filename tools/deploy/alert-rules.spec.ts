import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { StockadeMetrics } from '@stockade/runtime';

interface RuleFile {
  groups: { name: string; rules: { alert: string; expr: string; annotations?: { runbook?: string } }[] }[];
}

/** The Stockade series a PromQL expression reads (every one of ours starts with `stockade_`). */
function seriesIn(expr: string): string[] {
  return [...expr.matchAll(/\b(stockade_[a-z_]+)\b/g)].map((match) => match[1] as string);
}

describe('the Prometheus alert rules an operator loads (docs/alerts)', () => {
  const rules = (
    parse(readFileSync(join(__dirname, '..', '..', 'docs', 'alerts', 'stockade.rules.yml'), 'utf8')) as RuleFile
  ).groups.flatMap((group) => group.rules);

  it('given the rules, then every series they read is one Stockade exports (histograms by their _bucket, _count and _sum)', async () => {
    const exported = new Set(
      (await new StockadeMetrics({ collectProcessMetrics: false }).registry.getMetricsAsJSON()).flatMap((metric) => [
        metric.name,
        `${metric.name}_bucket`,
        `${metric.name}_count`,
        `${metric.name}_sum`,
      ]),
    );

    const unknown = rules.flatMap((rule) =>
      seriesIn(rule.expr)
        .filter((series) => !exported.has(series))
        .map((series) => `${rule.alert}: ${series}`),
    );

    expect(rules.length).toBeGreaterThan(5);
    expect(unknown).toEqual([]);
  });

  it('given the rules, then each says what to do next', () => {
    expect(rules.filter((rule) => !rule.annotations?.runbook).map((rule) => rule.alert)).toEqual([]);
  });
});
