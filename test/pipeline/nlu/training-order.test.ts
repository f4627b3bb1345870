import { describe, expect, it } from 'vitest';
import { seededShuffle } from '../../../bench/corpora.js';

// Grouped by intent, as the public corpora list their training utterances.
const grouped = ['a', 'b', 'c', 'd'].flatMap((label) =>
  Array.from({ length: 25 }, (_, i) => ({ text: `${label}${i}`, label })),
);

describe('benchmark training order', () => {
  it('is the same permutation on every call with the fixed seed', () => {
    const first = seededShuffle(grouped);
    expect(seededShuffle(grouped)).toEqual(first);
    expect([...first].sort((x, y) => x.text.localeCompare(y.text))).toEqual(
      [...grouped].sort((x, y) => x.text.localeCompare(y.text)),
    );
    expect(grouped[0]!.text).toBe('a0'); // the input is not modified
  });

  it('is no longer grouped by intent, and another seed gives another order', () => {
    const shuffled = seededShuffle(grouped);
    const labelChanges = shuffled.filter((u, i) => i > 0 && u.label !== shuffled[i - 1]!.label);
    expect(labelChanges.length).toBeGreaterThan(40); // grouped: 3
    expect(shuffled.slice(0, 25).some((u) => u.label !== 'a')).toBe(true);
    expect(seededShuffle(grouped, 7)).not.toEqual(shuffled);
  });
});
