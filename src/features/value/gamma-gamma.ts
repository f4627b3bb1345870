/**
 * The Gamma-Gamma model of spend per transaction (Fader & Hardie, "The Gamma-Gamma Model of
 * Monetary Value", 2013; after Colombo & Jiang 1999).
 *
 * A customer's transaction values are Gamma(p, ν) around their own mean, and ν varies across
 * customers as Gamma(q, γ). Only a customer's number of repeat transactions x and their mean
 * value z̄ enter the likelihood, so it is fitted on the customers with x > 0 and z̄ > 0 (their
 * mean repeat spend, weighted by x through the likelihood itself). The model assumes spend is
 * independent of purchase frequency; the feature should report the correlation alongside it.
 */
import { minimise } from './nelder-mead.js';
import { logGamma } from './special-functions.js';

export interface GammaGammaParams {
  p: number;
  q: number;
  /** γ, the scale of the mixing distribution (called v in the issue and in `lifetimes`). */
  v: number;
}

export interface SpendHistory {
  /** Repeat transactions x. */
  frequency: number;
  /** Mean value of the repeat transactions z̄. */
  monetary: number;
}

export interface GammaGammaFit extends GammaGammaParams {
  logLikelihood: number;
  /** Customers the model was fitted on (x > 0 and z̄ > 0). */
  customers: number;
  converged: boolean;
}

/** Whether a customer's history can enter the Gamma-Gamma likelihood. */
export function isRepeatSpender(h: SpendHistory): boolean {
  return h.frequency > 0 && h.monetary > 0;
}

/** The spenders' data in the form each likelihood evaluation reads: ln Γ terms are computed once
 * per distinct x, and the logarithms of the data once per fit. */
interface CompactSpend {
  distinctX: number[];
  xIndex: Int32Array;
  logMonetary: Float64Array;
  totalSpend: Float64Array;
}

function compact(spenders: readonly SpendHistory[]): CompactSpend {
  const distinctX = [...new Set(spenders.map((h) => h.frequency))];
  const position = new Map(distinctX.map((x, i) => [x, i]));
  const c: CompactSpend = {
    distinctX,
    xIndex: new Int32Array(spenders.length),
    logMonetary: new Float64Array(spenders.length),
    totalSpend: new Float64Array(spenders.length),
  };
  spenders.forEach((h, i) => {
    c.xIndex[i] = position.get(h.frequency)!;
    c.logMonetary[i] = Math.log(h.monetary);
    c.totalSpend[i] = h.frequency * h.monetary;
  });
  return c;
}

function compactLogLikelihood(params: GammaGammaParams, c: CompactSpend): number {
  const { p, q, v } = params;
  const shared = q * Math.log(v) - logGamma(q);
  const base = c.distinctX.map(
    (x) => shared + logGamma(p * x + q) - logGamma(p * x) + p * x * Math.log(x),
  );
  let ll = 0;
  for (let i = 0; i < c.xIndex.length; i++) {
    const k = c.xIndex[i]!;
    const px = p * c.distinctX[k]!;
    ll += base[k]! + (px - 1) * c.logMonetary[i]! - (px + q) * Math.log(v + c.totalSpend[i]!);
  }
  return ll;
}

/** ln f(z̄ | p, q, γ, x) summed over the repeat spenders (Fader & Hardie 2013, equation 3). */
export function gammaGammaLogLikelihood(
  params: GammaGammaParams,
  histories: readonly SpendHistory[],
): number {
  return compactLogLikelihood(params, compact(histories.filter(isRepeatSpender)));
}

/** Maximum-likelihood fit on the repeat spenders among `histories`. */
export function fitGammaGamma(histories: readonly SpendHistory[]): GammaGammaFit {
  const spenders = histories.filter(isRepeatSpender);
  if (spenders.length === 0) {
    throw new RangeError('Gamma-Gamma needs at least one customer with a repeat purchase');
  }
  const c = compact(spenders);
  const fromLog = (v: number[]): GammaGammaParams => ({
    p: Math.exp(v[0]!),
    q: Math.exp(v[1]!),
    v: Math.exp(v[2]!),
  });
  const result = minimise((v) => -compactLogLikelihood(fromLog(v), c), [0, 0, 0]);
  return {
    ...fromLog(result.x),
    logLikelihood: -result.value,
    customers: spenders.length,
    converged: result.converged,
  };
}

/** The population's mean spend per transaction, E[Z] = pγ / (q − 1) (infinite when q ≤ 1). */
export function populationMeanSpend(params: GammaGammaParams): number {
  return params.q > 1 ? (params.p * params.v) / (params.q - 1) : Infinity;
}

/**
 * E[Z | x, z̄]: the customer's expected spend per transaction (equation 5), a weighted average
 * of the population mean and their own observed mean, the weight on their own growing with x.
 * A customer without repeat spend gets the population mean.
 */
export function expectedAverageSpend(params: GammaGammaParams, h: SpendHistory): number {
  if (!isRepeatSpender(h)) return populationMeanSpend(params);
  const { p, q, v } = params;
  return ((v + h.frequency * h.monetary) * p) / (p * h.frequency + q - 1);
}
