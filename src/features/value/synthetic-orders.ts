/**
 * Orders drawn from the models themselves, seeded: each customer gets a purchase rate
 * λ ~ Gamma(r, α), a drop-out probability p ~ Beta(a, b) and a spend scale ν ~ Gamma(q, γ);
 * after a first purchase at a uniformly drawn time of the acquisition window they buy at
 * exponential intervals, dropping out after each repeat purchase with probability p, and spend
 * Gamma(p_spend, ν) per order. For the benchmark, the tests' parameter-recovery checks and demo
 * installs: with the same seed the same orders come out.
 */
import type { BgNbdParams } from './bg-nbd.js';
import { DAY_MS, DAYS_PER_WEEK, type Order } from './customer-summary.js';
import type { GammaGammaParams } from './gamma-gamma.js';

export interface SyntheticOrdersOptions {
  customers: number;
  seed: number;
  bgnbd: BgNbdParams;
  gammaGamma: GammaGammaParams;
  /** First day of the acquisition window. */
  start: Date;
  /** Customers are acquired over this many weeks from `start`. */
  acquisitionWeeks: number;
  /** Orders are drawn up to this many weeks after `start`. */
  observedWeeks: number;
}

/** mulberry32: a small, fast, seedable generator of uniform numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Gamma(shape, rate) by Marsaglia & Tsang (2000), boosted for shape < 1. */
export function gammaSample(random: () => number, shape: number, rate: number): number {
  if (shape < 1) return gammaSample(random, shape + 1, rate) * Math.pow(random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(random);
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
}

function betaSample(random: () => number, a: number, b: number): number {
  const x = gammaSample(random, a, 1);
  return x / (x + gammaSample(random, b, 1));
}

export function* syntheticOrders(options: SyntheticOrdersOptions): Generator<Order> {
  const random = seededRandom(options.seed);
  const { r, alpha, a, b } = options.bgnbd;
  const weekMs = DAYS_PER_WEEK * DAY_MS;
  const start = options.start.getTime();
  for (let i = 0; i < options.customers; i++) {
    const customerId = `c${i}`;
    const rate = gammaSample(random, r, alpha);
    const dropout = betaSample(random, a, b);
    const scale = gammaSample(random, options.gammaGamma.q, options.gammaGamma.v);
    const spend = () => Math.round(gammaSample(random, options.gammaGamma.p, scale) * 100) / 100;
    let week = random() * options.acquisitionWeeks;
    yield { customerId, placedAt: new Date(start + week * weekMs), amount: spend() };
    // The BG/NBD's drop-out happens only after a repeat purchase, never after the first.
    for (;;) {
      week += -Math.log(1 - random()) / rate;
      if (!(week < options.observedWeeks)) break;
      yield { customerId, placedAt: new Date(start + week * weekMs), amount: spend() };
      if (random() < dropout) break;
    }
  }
}
