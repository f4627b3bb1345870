/**
 * Nelder–Mead downhill simplex minimisation (Nelder & Mead 1965, with the standard coefficients
 * of Lagarias et al. 1998: reflection 1, expansion 2, contraction ½, shrink ½).
 *
 * The value models have three or four parameters and smooth likelihoods, so a derivative-free
 * method is enough and keeps each model's code to its likelihood. The minimiser restarts from
 * its best point until a restart no longer improves it, the usual guard against a simplex that
 * collapsed before reaching the optimum.
 */

export interface MinimiseOptions {
  /** Stop when the simplex's function values differ by less than this, relative to 1 + |best|. */
  fTolerance?: number;
  /** …and its vertices differ by less than this in every coordinate. */
  xTolerance?: number;
  /** Upper bound on function evaluations over all restarts. */
  maxEvaluations?: number;
  /** Size of the first simplex's steps from the start point. */
  initialStep?: number;
}

export interface MinimiseResult {
  x: number[];
  value: number;
  evaluations: number;
  converged: boolean;
}

interface Vertex {
  x: number[];
  f: number;
}

/** f may return Infinity or NaN where it is undefined; such points are treated as worst. */
export function minimise(
  f: (x: number[]) => number,
  start: number[],
  options: MinimiseOptions = {},
): MinimiseResult {
  const maxEvaluations = options.maxEvaluations ?? 20_000;
  let best: MinimiseResult = { x: start, value: safe(f(start)), evaluations: 1, converged: false };
  // Two restarts at most are ever needed on these likelihoods; five bounds a pathological case.
  for (let restart = 0; restart < 5; restart++) {
    const budget = maxEvaluations - best.evaluations;
    if (budget <= 0) break;
    const run = simplexSearch(f, best.x, { ...options, maxEvaluations: budget });
    const improved = best.value - run.value;
    const evaluations = best.evaluations + run.evaluations;
    best = run.value <= best.value ? { ...run, evaluations } : { ...best, evaluations };
    if (restart > 0 && improved <= (options.fTolerance ?? 1e-10) * (1 + Math.abs(best.value)))
      break;
  }
  return best;
}

function safe(v: number): number {
  return Number.isFinite(v) ? v : Infinity;
}

function simplexSearch(
  f: (x: number[]) => number,
  start: number[],
  options: MinimiseOptions,
): MinimiseResult {
  const fTol = options.fTolerance ?? 1e-10;
  const xTol = options.xTolerance ?? 1e-7;
  const maxEvaluations = options.maxEvaluations ?? 20_000;
  const step = options.initialStep ?? 0.5;
  const n = start.length;
  let evaluations = 0;
  const evaluate = (x: number[]): Vertex => {
    evaluations++;
    return { x, f: safe(f(x)) };
  };
  const simplex: Vertex[] = [evaluate([...start])];
  for (let i = 0; i < n; i++) {
    const x = [...start];
    x[i] = x[i]! + step;
    simplex.push(evaluate(x));
  }
  while (evaluations < maxEvaluations) {
    simplex.sort((p, q) => p.f - q.f);
    if (hasConverged(simplex, fTol, xTol)) {
      return { x: simplex[0]!.x, value: simplex[0]!.f, evaluations, converged: true };
    }
    const worst = simplex[n]!;
    const centroid = centroidOf(simplex.slice(0, n));
    const reflected = evaluate(along(centroid, worst.x, -1));
    if (reflected.f < simplex[0]!.f) {
      const expanded = evaluate(along(centroid, worst.x, -2));
      simplex[n] = expanded.f < reflected.f ? expanded : reflected;
    } else if (reflected.f < simplex[n - 1]!.f) {
      simplex[n] = reflected;
    } else {
      const outside = reflected.f < worst.f;
      const contracted = evaluate(along(centroid, worst.x, outside ? -0.5 : 0.5));
      if (contracted.f < (outside ? reflected.f : worst.f)) {
        simplex[n] = contracted;
      } else {
        for (let i = 1; i <= n; i++)
          simplex[i] = evaluate(along(simplex[0]!.x, simplex[i]!.x, 0.5));
      }
    }
  }
  simplex.sort((p, q) => p.f - q.f);
  return { x: simplex[0]!.x, value: simplex[0]!.f, evaluations, converged: false };
}

/** The point c + k·(p − c): k = −1 reflects p through c, −2 expands, ±½ contracts. */
function along(c: number[], p: number[], k: number): number[] {
  return c.map((ci, i) => ci + k * (p[i]! - ci));
}

function centroidOf(points: Vertex[]): number[] {
  const n = points[0]!.x.length;
  const c = new Array<number>(n).fill(0);
  for (const p of points) for (let i = 0; i < n; i++) c[i] = c[i]! + p.x[i]! / points.length;
  return c;
}

function hasConverged(simplex: Vertex[], fTol: number, xTol: number): boolean {
  const best = simplex[0]!;
  const worst = simplex[simplex.length - 1]!;
  if (!(Math.abs(worst.f - best.f) <= fTol * (1 + Math.abs(best.f)))) return false;
  return simplex.every((v) => v.x.every((xi, i) => Math.abs(xi - best.x[i]!) <= xTol));
}
