#!/usr/bin/env node
// npm run check:signals step: every metric the alert rules (deploy/prometheus/alerts.yml) and the
// Grafana dashboard (deploy/grafana/charla-dashboard.json) query exists in a real /metrics
// exposition (argv[2], written by scripts/signals-exposition.ts). A renamed or dropped series
// would otherwise leave an alert that can never fire and a panel that stays empty.
// Usage: node scripts/check-signal-names.mjs EXPOSITION_FILE
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** Names a scrape can return: each TYPE line's name, and a histogram's _bucket/_sum/_count. */
function exposedNames(exposition) {
  const names = new Set();
  for (const [, name, type] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name);
    if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
  }
  return names;
}

/**
 * The metric names a PromQL expression selects: with strings, label matchers, range selectors and
 * `by (...)`/`without (...)` groups taken out, an identifier not followed by `(` is a metric
 * (functions and aggregations are followed by their arguments).
 */
function metricsOf(expr) {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = [];
  for (const m of bare.matchAll(/(?<![\w$.])([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\()?/g)) {
    if (!m[2] && !/^(and|or|unless|bool|offset|inf|nan)$/i.test(m[1])) names.push(m[1]);
  }
  return names;
}

function referenced() {
  const refs = [];
  const rules = parse(readFileSync('deploy/prometheus/alerts.yml', 'utf8'));
  for (const group of rules.groups) {
    for (const rule of group.rules) refs.push({ where: `alert ${rule.alert}`, expr: rule.expr });
  }
  const dashboard = JSON.parse(readFileSync('deploy/grafana/charla-dashboard.json', 'utf8'));
  for (const panel of dashboard.panels) {
    for (const t of panel.targets ?? [])
      refs.push({ where: `panel "${panel.title}"`, expr: t.expr });
  }
  return refs;
}

const file = process.argv[2];
if (!file) throw new Error('usage: node scripts/check-signal-names.mjs EXPOSITION_FILE');
const exposed = exposedNames(readFileSync(file, 'utf8'));
const refs = referenced();
const missing = [];
let checked = 0;
for (const { where, expr } of refs) {
  const names = metricsOf(expr);
  if (names.length === 0) missing.push(`${where}: no metric found in ${expr}`);
  for (const name of names) {
    checked++;
    if (!exposed.has(name)) missing.push(`${where}: ${name} is not in the exposition`);
  }
}
if (missing.length > 0) {
  console.error(missing.join('\n'));
  process.exit(1);
}
console.log(`${checked} metric references in ${refs.length} queries: all in the exposition`);
