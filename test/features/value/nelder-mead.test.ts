import { describe, expect, it } from 'vitest';
import { minimise } from '../../../src/features/value/nelder-mead.js';

describe('Nelder–Mead', () => {
  it('finds the minimum of the Rosenbrock valley', () => {
    const rosenbrock = ([x, y]: number[]) => (1 - x!) ** 2 + 100 * (y! - x! ** 2) ** 2;
    const result = minimise(rosenbrock, [-1.2, 1]);
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 5);
    expect(result.x[1]).toBeCloseTo(1, 5);
  });

  it('treats undefined points as worst and stays where f is defined', () => {
    const f = ([x]: number[]) => (x! <= 0 ? NaN : (Math.log(x!) - 1) ** 2);
    const result = minimise(f, [3]);
    expect(result.x[0]).toBeCloseTo(Math.E, 5);
  });

  it('stops at the evaluation budget', () => {
    const result = minimise(([x, y]) => x! ** 2 + y! ** 2, [5, 5], { maxEvaluations: 10 });
    // The last step may finish its reflection, contraction and shrink: n + 2 evaluations past the budget.
    expect(result.evaluations).toBeLessThanOrEqual(10 + 2 + 2);
    expect(result.converged).toBe(false);
  });
});
