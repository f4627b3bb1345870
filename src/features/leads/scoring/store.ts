/**
 * The live scoring rules in MongoDB: seeded once from scoring/rules.yaml (the database copy is
 * what counts afterwards), saved by admins with a version bump, each version kept.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDuplicateKeyError } from '../../../kernel/db/errors.js';
import { ScoringRulesDoc, ScoringRulesVersion } from '../../../kernel/db/models/scoring-rules.js';
import { parseRules, type ScoringRules } from './rules.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
export const DEFAULT_RULES_FILE = path.join(repoRoot, 'scoring', 'rules.yaml');
const LIVE = 'live';

export interface LiveRules {
  yaml: string;
  rules: ScoringRules;
  version: number;
  updatedAt?: Date;
  updatedBy?: string;
}

interface StoredRules {
  yaml: string;
  rules: ScoringRules;
  version: number;
  updatedAt?: Date;
  updatedBy?: string;
}

const live = (d: StoredRules): LiveRules => ({
  yaml: d.yaml,
  rules: d.rules,
  version: d.version,
  updatedAt: d.updatedAt,
  updatedBy: d.updatedBy ?? undefined,
});

/** The live rules, seeding them from the file on first use. */
export async function loadRules(file = DEFAULT_RULES_FILE): Promise<LiveRules> {
  const found = await ScoringRulesDoc.findById(LIVE).lean<StoredRules>();
  if (found) return live(found);
  const yaml = await readFile(file, 'utf8');
  const parsed = parseRules(yaml);
  if (!parsed.ok) {
    throw new Error(`${file}: ${parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  }
  try {
    await ScoringRulesDoc.create({ _id: LIVE, yaml, rules: parsed.rules, version: 1 });
    await ScoringRulesVersion.create({ version: 1, yaml, savedBy: 'seed' });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err; // another instance seeded them first
  }
  return live((await ScoringRulesDoc.findById(LIVE).lean<StoredRules>())!);
}

/** Replaces the live rules (already validated) and returns the new version. */
export async function saveRules(
  yaml: string,
  rules: ScoringRules,
  updatedBy: string,
): Promise<LiveRules> {
  const before = await loadRules();
  const saved = await ScoringRulesDoc.findOneAndUpdate(
    { _id: LIVE },
    { $set: { yaml, rules, updatedBy }, $inc: { version: 1 } },
    { returnDocument: 'after' },
  ).lean<StoredRules>();
  const after = live(saved ?? { ...before, yaml, rules, version: before.version + 1 });
  await ScoringRulesVersion.create({ version: after.version, yaml, savedBy: updatedBy });
  return after;
}
