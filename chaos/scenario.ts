import type { Tally } from './visitors.js';

/** What one chaos scenario measured. */
export interface ScenarioResult {
  name: string;
  /** The fault, in words, for RELIABILITY.md. */
  fault: string;
  tally: Tally;
  notes: string[];
}
