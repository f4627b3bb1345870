import { describe, expect, it } from 'vitest';
import {
  hyp2f1,
  logAddExp,
  logBeta,
  logGamma,
} from '../../../src/features/value/special-functions.js';

describe('special functions', () => {
  it('ln Γ matches factorials, Γ(½) = √π and large arguments', () => {
    expect(logGamma(1)).toBeCloseTo(0, 14);
    expect(logGamma(2)).toBeCloseTo(0, 14);
    expect(logGamma(11)).toBeCloseTo(Math.log(3_628_800), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(logGamma(0.1)).toBeCloseTo(2.252712651734206, 13);
    // Stirling's series is exact to ~1e-12 relative at 1000.
    const x = 1000;
    const stirling =
      (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x ** 3);
    expect(logGamma(x) / stirling - 1).toBeLessThan(1e-13);
    expect(logGamma(0)).toBeNaN();
  });

  it('ln B(a, b) is symmetric and B(1, b) = 1/b', () => {
    expect(logBeta(1, 4)).toBeCloseTo(-Math.log(4), 14);
    expect(logBeta(2.5, 0.7)).toBeCloseTo(logBeta(0.7, 2.5), 14);
  });

  it('logAddExp adds in log space without overflow', () => {
    expect(logAddExp(Math.log(2), Math.log(3))).toBeCloseTo(Math.log(5), 14);
    expect(logAddExp(1000, 1000)).toBeCloseTo(1000 + Math.log(2), 10);
    expect(logAddExp(-Infinity, 3)).toBe(3);
  });

  it('₂F₁ matches its closed forms', () => {
    for (const z of [0, 0.1, 0.5, 0.9, 0.99]) {
      // ₂F₁(1, 1; 2; z) = −ln(1 − z) / z
      const log = z === 0 ? 1 : -Math.log(1 - z) / z;
      expect(hyp2f1(1, 1, 2, z)).toBeCloseTo(log, 10);
      // ₂F₁(a, b; b; z) = (1 − z)^(−a)
      expect(hyp2f1(0.7, 2.3, 2.3, z) / Math.pow(1 - z, -0.7)).toBeCloseTo(1, 12);
    }
    // ₂F₁(½, ½; 3/2; z²) = arcsin(z) / z
    expect(hyp2f1(0.5, 0.5, 1.5, 0.25)).toBeCloseTo(Math.asin(0.5) / 0.5, 13);
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(RangeError);
  });
});
