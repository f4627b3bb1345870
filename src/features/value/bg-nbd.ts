/**
 * The BG/NBD model of repeat purchasing (Fader, Hardie & Lee, "Counting Your Customers the Easy
 * Way: An Alternative to the Pareto/NBD Model", Marketing Science 24(2), 2005).
 *
 * While active, a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after each
 * purchase they drop out with probability p ~ Beta(a, b). A customer's history is (x, tₓ, T):
 * repeat purchases, time of the last one and time observed, all since the first purchase, in
 * the summary's unit (weeks; see customer-summary.ts).
 *
 * The parameters are fitted by maximum likelihood (equation 6 of the paper) with Nelder–Mead on
 * the logarithms of the parameters, so every step stays in the positive quadrant.
 */
import { minimise } from './nelder-mead.js';
import { hyp2f1, logAddExp, logGamma } from './special-functions.js';

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** A customer's repeat-purchase history in the model's notation: x, tₓ and T. */
export interface RepeatHistory {
  frequency: number;
  recency: number;
  T: number;
}

export interface BgNbdFit extends BgNbdParams {
  logLikelihood: number;
  customers: number;
  converged: boolean;
}

/** Histories grouped by identical (x, tₓ, T), the distinct x values and the distinct times, so
 * that each likelihood evaluation computes the ln Γ terms once per x and ln(α + t) once per time
 * (summaries count whole days, so an install has a few hundred distinct times at most). */
interface CompactHistories {
  xIndex: Int32Array;
  recencyIndex: Int32Array;
  TIndex: Int32Array;
  weight: Float64Array;
  distinctX: number[];
  times: number[];
  customers: number;
}

function compact(histories: Iterable<RepeatHistory>): CompactHistories {
  const rows = new Map<number, Map<number, Map<number, number>>>();
  let customers = 0;
  for (const h of histories) {
    customers++;
    let byRecency = rows.get(h.frequency);
    if (!byRecency) rows.set(h.frequency, (byRecency = new Map()));
    let byT = byRecency.get(h.recency);
    if (!byT) byRecency.set(h.recency, (byT = new Map()));
    byT.set(h.T, (byT.get(h.T) ?? 0) + 1);
  }
  const flat: [number, number, number, number][] = [];
  for (const [x, byRecency] of rows) {
    for (const [recency, byT] of byRecency) for (const [T, n] of byT) flat.push([x, recency, T, n]);
  }
  const distinctX = [...rows.keys()];
  const times = [...new Set(flat.flatMap(([, recency, T]) => [recency, T]))];
  const xPosition = new Map(distinctX.map((x, i) => [x, i]));
  const timePosition = new Map(times.map((t, i) => [t, i]));
  const c: CompactHistories = {
    xIndex: Int32Array.from(flat, ([x]) => xPosition.get(x)!),
    recencyIndex: Int32Array.from(flat, ([, recency]) => timePosition.get(recency)!),
    TIndex: Int32Array.from(flat, ([, , T]) => timePosition.get(T)!),
    weight: Float64Array.from(flat, ([, , , n]) => n),
    distinctX,
    times,
    customers,
  };
  return c;
}

function compactLogLikelihood(p: BgNbdParams, c: CompactHistories): number {
  const { r, alpha, a, b } = p;
  const common = r * Math.log(alpha) - logGamma(r) + logGamma(a + b) - logGamma(b);
  // Per distinct x: the terms of ln L that do not depend on tₓ or T.
  const base = c.distinctX.map(
    (x) => common + logGamma(r + x) + logGamma(b + x) - logGamma(a + b + x),
  );
  const dropout = c.distinctX.map((x) => (x > 0 ? Math.log(a) - Math.log(b + x - 1) : -Infinity));
  const logAlphaPlus = c.times.map((t) => Math.log(alpha + t));
  let ll = 0;
  for (let i = 0; i < c.weight.length; i++) {
    const k = c.xIndex[i]!;
    const rx = r + c.distinctX[k]!;
    const stillActive = -rx * logAlphaPlus[c.TIndex[i]!]!;
    const droppedOut = dropout[k]! - rx * logAlphaPlus[c.recencyIndex[i]!]!;
    ll += c.weight[i]! * (base[k]! + logAddExp(stillActive, droppedOut));
  }
  return ll;
}

/** The sample log-likelihood (FHL 2005, equation 6, summed over customers). */
export function bgNbdLogLikelihood(
  params: BgNbdParams,
  histories: Iterable<RepeatHistory>,
): number {
  return compactLogLikelihood(params, compact(histories));
}

/** Maximum-likelihood fit. Needs at least one customer with a repeat purchase. */
export function fitBgNbd(histories: Iterable<RepeatHistory>): BgNbdFit {
  const c = compact(histories);
  if (c.distinctX.every((x) => x === 0)) {
    throw new RangeError('BG/NBD needs at least one customer with a repeat purchase');
  }
  const fromLog = (v: number[]): BgNbdParams => ({
    r: Math.exp(v[0]!),
    alpha: Math.exp(v[1]!),
    a: Math.exp(v[2]!),
    b: Math.exp(v[3]!),
  });
  const result = minimise((v) => -compactLogLikelihood(fromLog(v), c), [0, 0, 0, 0]);
  return {
    ...fromLog(result.x),
    logLikelihood: -result.value,
    customers: c.customers,
    converged: result.converged,
  };
}

/** ln of the odds term a/(b+x−1) · ((α+T)/(α+tₓ))^(r+x); −∞ for x = 0. */
function logDropoutOdds(p: BgNbdParams, h: RepeatHistory): number {
  const x = h.frequency;
  if (x === 0) return -Infinity;
  return (
    Math.log(p.a) -
    Math.log(p.b + x - 1) +
    (p.r + x) * (Math.log(p.alpha + h.T) - Math.log(p.alpha + h.recency))
  );
}

/**
 * P(still active | x, tₓ, T) (FHL 2005, and Fader, Hardie & Lee 2008's note on P(alive)).
 * It is 1 for a customer with no repeat purchase: in the BG/NBD, dropping out can only happen
 * right after a purchase, so a one-time buyer is taken as active (a known property of the model).
 */
export function probabilityAlive(params: BgNbdParams, h: RepeatHistory): number {
  return 1 / (1 + Math.exp(logDropoutOdds(params, h)));
}

/** E[X(t)]: expected repeat purchases in (0, t] of a customer just acquired (equation 9). */
export function expectedPurchasesOfNewCustomer(params: BgNbdParams, t: number): number {
  const { r, alpha, a, b } = params;
  const z = t / (alpha + t);
  const f = hyp2f1(r, b, a + b - 1, z);
  return ((a + b - 1) / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), r) * f);
}

/** E[Y(t) | x, tₓ, T]: expected purchases in the next t periods after T (equation 10). */
export function expectedPurchases(params: BgNbdParams, h: RepeatHistory, t: number): number {
  if (t <= 0) return 0;
  const { r, alpha, a, b } = params;
  const x = h.frequency;
  const z = t / (alpha + h.T + t);
  const f = hyp2f1(r + x, b + x, a + b + x - 1, z);
  const decay = Math.exp((r + x) * (Math.log(alpha + h.T) - Math.log(alpha + h.T + t)));
  const numerator = ((a + b + x - 1) / (a - 1)) * (1 - decay * f);
  return numerator / (1 + Math.exp(logDropoutOdds(params, h)));
}
