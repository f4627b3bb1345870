/**
 * One propensity run: the install's won and lost leads (by creation time) are the history; with
 * at least MIN_CLOSED_LEADS of them (and MIN_PER_CLASS of each) an L2-regularised logistic model
 * is trained on the older 75 % and its AUC measured on the newer 25 % (a time split: the model is
 * judged on leads it could not have seen), then trained again on all of them and used to score
 * every open lead (new, contacted, qualified) with its three strongest factors. With less
 * history the model is `rule_fallback`: open leads lose any stored propensity and the rule score
 * stands. Reads ~all leads' facts in bulk; one bulkWrite per 1,000 open leads.
 */
import { Lead } from '../../kernel/db/models/lead.js';
import { leadFacts, type LeadFacts, type LeadRow } from './lead-features.js';
import { auc, contributions, fitLogistic, predict, type LogisticModel } from './logistic.js';
import { MIN_CLOSED_LEADS, MIN_PER_CLASS, type PropensityModelView } from './schemas.js';
import { PropensityModel } from './store.js';

export const LAMBDA = 1;
const TEST_SHARE = 0.25;
/** A feature is kept when at least this many closed leads have it. */
const MIN_SUPPORT = 3;
const CHUNK = 1000;
const FIELDS = {
  status: 1,
  channel: 1,
  language: 1,
  intentsSeen: 1,
  marketingConsent: 1,
  returnedAt: 1,
  contactId: 1,
  conversationId: 1,
  createdAt: 1,
  updatedAt: 1,
};

const byCreation = (a: LeadRow, b: LeadRow) =>
  new Date(a.createdAt ?? 0).getTime() - new Date(b.createdAt ?? 0).getTime() ||
  String(a._id).localeCompare(String(b._id));

/** The features seen on enough closed leads, in a stable order. */
function vocabulary(facts: LeadFacts[]): string[] {
  const support = new Map<string, number>();
  for (const f of facts) for (const k of f.keys()) support.set(k, (support.get(k) ?? 0) + 1);
  return [...support]
    .filter(([, n]) => n >= MIN_SUPPORT)
    .map(([k]) => k)
    .sort();
}

const vector = (names: string[], f: LeadFacts) => names.map((n) => f.get(n) ?? 0);

function topFactors(m: LogisticModel, names: string[], n: number) {
  return names
    .map((feature, j) => ({ feature, weight: round(m.weights[j]!) }))
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
    .slice(0, n);
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** The three features of this lead that move its log-odds most (only features it has). */
function leadFactors(m: LogisticModel, names: string[], row: number[]) {
  const parts = contributions(m, row);
  return names
    .map((feature, j) => ({ feature, weight: round(parts[j]!), has: row[j] !== 0 }))
    .filter((f) => f.has && f.weight !== 0)
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
    .slice(0, 3)
    .map(({ feature, weight }) => ({ feature, weight }));
}

async function scoreOpenLeads(m: LogisticModel | null, names: string[], at: Date) {
  const open = await Lead.find({ status: { $in: ['new', 'contacted', 'qualified'] } }, FIELDS)
    .lean<LeadRow[]>()
    .exec();
  if (!m) {
    await Lead.collection.updateMany(
      { propensity: { $exists: true } },
      { $unset: { propensity: '' } },
    );
    return 0;
  }
  for (let i = 0; i < open.length; i += CHUNK) {
    const chunk = open.slice(i, i + CHUNK);
    const facts = await leadFacts(chunk);
    const ops = chunk.map((lead) => {
      const row = vector(names, facts.get(String(lead._id))!);
      const propensity = { p: round(predict(m, row)), factors: leadFactors(m, names, row), at };
      return { updateOne: { filter: { _id: lead._id }, update: { $set: { propensity } } } };
    });
    if (ops.length) await Lead.collection.bulkWrite(ops, { ordered: false });
  }
  return open.length;
}

export async function runPropensity(now: () => Date = () => new Date()) {
  const started = Date.now();
  const closed = (
    await Lead.find({ status: { $in: ['won', 'lost'] } }, FIELDS)
      .lean<LeadRow[]>()
      .exec()
  ).sort(byCreation);
  const labels = closed.map((l) => (l.status === 'won' ? 1 : 0));
  const won = labels.filter((y) => y === 1).length;
  const lost = closed.length - won;
  const enough = closed.length >= MIN_CLOSED_LEADS && won >= MIN_PER_CLASS && lost >= MIN_PER_CLASS;
  let model: LogisticModel | null = null;
  let names: string[] = [];
  let testAuc: number | null = null;
  let trainSize = 0;
  if (enough) {
    const factsById = await leadFacts(closed);
    const facts = closed.map((l) => factsById.get(String(l._id))!);
    trainSize = Math.round(closed.length * (1 - TEST_SHARE));
    names = vocabulary(facts.slice(0, trainSize));
    const rows = facts.map((f) => vector(names, f));
    const early = fitLogistic(rows.slice(0, trainSize), labels.slice(0, trainSize), LAMBDA);
    const test = rows.slice(trainSize);
    testAuc = auc(
      test.map((r) => predict(early, r)),
      labels.slice(trainSize),
    );
    names = vocabulary(facts);
    model = fitLogistic(
      facts.map((f) => vector(names, f)),
      labels,
      LAMBDA,
    );
  }
  const at = now();
  const openLeadsScored = await scoreOpenLeads(model, names, at);
  const view: PropensityModelView = {
    status: model ? 'model' : 'rule_fallback',
    trainedAt: at.toISOString(),
    closed: closed.length,
    won,
    lost,
    minClosed: MIN_CLOSED_LEADS,
    trainSize,
    testSize: model ? closed.length - trainSize : 0,
    auc: testAuc === null ? null : round(testAuc),
    topFactors: model ? topFactors(model, names, 8) : [],
    features: names.length,
    openLeadsScored,
    lambda: LAMBDA,
    durationMs: Date.now() - started,
  };
  await PropensityModel.replaceOne({ _id: 'latest' }, { ...view, trainedAt: at }, { upsert: true });
  return view;
}

export async function findPropensityModel(): Promise<PropensityModelView | null> {
  const doc = await PropensityModel.findById('latest').lean().exec();
  if (!doc) return null;
  const { _id: _ignored, trainedAt, ...rest } = doc;
  return { ...rest, trainedAt: new Date(trainedAt!).toISOString() } as PropensityModelView;
}
