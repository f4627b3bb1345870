/**
 * L2-regularised logistic regression, fitted by Newton's method (iteratively reweighted least
 * squares) on standardised features, and the area under the ROC curve. Small on purpose: the
 * propensity model has tens of features, so a d×d Newton step is cheap and converges in a
 * handful of iterations; the intercept is not penalised.
 */

export interface LogisticModel {
  intercept: number;
  /** Per feature, on the standardised scale (comparable across features). */
  weights: number[];
  means: number[];
  sds: number[];
  iterations: number;
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Solves A x = b for a symmetric positive definite A (Cholesky). */
export function solveSpd(a: number[][], b: number[]): number[] {
  const n = b.length;
  const l = a.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!;
      l[i]![j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / l[j]![j]!;
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i]![k]! * y[k]!;
    y[i] = s / l[i]![i]!;
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k]![i]! * x[k]!;
    x[i] = s / l[i]![i]!;
  }
  return x;
}

function standardise(rows: number[][], d: number) {
  const means = new Array<number>(d).fill(0);
  const sds = new Array<number>(d).fill(0);
  for (const r of rows) for (let j = 0; j < d; j++) means[j]! += r[j]! / rows.length;
  for (const r of rows)
    for (let j = 0; j < d; j++) sds[j]! += (r[j]! - means[j]!) ** 2 / rows.length;
  // A constant feature gets sd 1: its standardised value is 0 and its weight stays 0.
  return { means, sds: sds.map((v) => (v > 1e-12 ? Math.sqrt(v) : 1)) };
}

/** Fits P(y = 1 | x); `lambda` is the L2 penalty on the standardised weights. */
export function fitLogistic(rows: number[][], labels: number[], lambda = 1): LogisticModel {
  const d = rows[0]?.length ?? 0;
  const { means, sds } = standardise(rows, d);
  const z = rows.map((r) => [1, ...r.map((v, j) => (v - means[j]!) / sds[j]!)]);
  let w = new Array<number>(d + 1).fill(0);
  let iterations = 0;
  for (; iterations < 50; iterations++) {
    const g = w.map((wj, j) => (j === 0 ? 0 : lambda * wj));
    const h = w.map((_, i) => w.map((__, j) => (i === j && i > 0 ? lambda : 0)));
    z.forEach((x, n) => {
      const p = sigmoid(x.reduce((s, v, j) => s + v * w[j]!, 0));
      const r = p - labels[n]!;
      const q = Math.max(p * (1 - p), 1e-9);
      for (let i = 0; i <= d; i++) {
        g[i]! += r * x[i]!;
        if (x[i] === 0) continue;
        for (let j = 0; j <= i; j++) h[i]![j]! += q * x[i]! * x[j]!;
      }
    });
    for (let i = 0; i <= d; i++) for (let j = 0; j < i; j++) h[j]![i] = h[i]![j]!;
    const step = solveSpd(h, g);
    w = w.map((wj, j) => wj - step[j]!);
    if (Math.max(...step.map(Math.abs)) < 1e-8) break;
  }
  return { intercept: w[0]!, weights: w.slice(1), means, sds, iterations };
}

/** Each feature's part of the log-odds for one row (standardised value × weight). */
export const contributions = (m: LogisticModel, row: number[]) =>
  row.map((v, j) => ((v - m.means[j]!) / m.sds[j]!) * m.weights[j]!);

export function predict(m: LogisticModel, row: number[]): number {
  return sigmoid(m.intercept + contributions(m, row).reduce((s, c) => s + c, 0));
}

/** Area under the ROC curve (Mann–Whitney, ties count half); null without both classes. */
export function auc(scores: number[], labels: number[]): number | null {
  const order = scores.map((s, i) => [s, labels[i]!] as const).sort((a, b) => a[0] - b[0]);
  const pos = labels.filter((l) => l === 1).length;
  const neg = labels.length - pos;
  if (pos === 0 || neg === 0) return null;
  let rankSum = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j < order.length && order[j]![0] === order[i]![0]) j++;
    const rank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (order[k]![1] === 1) rankSum += rank;
    i = j;
  }
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}
