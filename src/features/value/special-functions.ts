/**
 * The special functions the customer-value models need, written out rather than taken from a
 * package: three short, well-known algorithms (Lanczos, the Gauss series, log-sum-exp) that the
 * tests check against closed forms, with no dependency to keep up to date.
 */

/** Lanczos coefficients for g = 7, n = 9 (relative error below 1e-15 for positive arguments). */
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x) for x > 0 (reflection below ½, where the Lanczos sum is less accurate). */
export function logGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return HALF_LOG_TWO_PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** ln(eᵃ + eᵇ) without overflow or underflow. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)));
}

const HYP2F1_MAX_TERMS = 100_000;

/**
 * Gauss's hypergeometric function ₂F₁(a, b; c; z) by its power series, for 0 ≤ z < 1 and
 * c > 0. The BG/NBD expectations only ever ask for z = t / (α + T + t), which stays below 1;
 * the terms then shrink geometrically (ratio → z), so the sum stops once a term no longer
 * moves it at double precision.
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (!(z >= 0 && z < 1) || !(c > 0)) {
    throw new RangeError(`hyp2f1 needs 0 ≤ z < 1 and c > 0 (got z=${z}, c=${c})`);
  }
  let term = 1;
  let sum = 1;
  for (let i = 0; i < HYP2F1_MAX_TERMS; i++) {
    term *= (((a + i) * (b + i)) / ((c + i) * (i + 1))) * z;
    sum += term;
    if (Math.abs(term) <= 1e-15 * Math.abs(sum)) return sum;
  }
  throw new RangeError(`hyp2f1 did not converge (a=${a}, b=${b}, c=${c}, z=${z})`);
}
