/**
 * A trained classifier (training.ts `TrainedSnapshot`) as bytes for the model cache: a length,
 * a JSON header (labels, features, options, array lengths), then the Float32 arrays. Decoding
 * checks every length and returns undefined for anything that does not fit.
 */
import type { ClassifierSnapshot } from './classifier.js';
import type { TrainedSnapshot } from './training.js';

interface Header {
  trainedWith: TrainedSnapshot['trainedWith'] | null;
  model:
    | (Omit<ClassifierSnapshot, 'idf' | 'weights' | 'bias' | 'centroids'> & {
        lengths: [number, number, number, number];
      })
    | null;
}

const align4 = (n: number) => (n + 3) & ~3;

export function encodeTrained(trained: TrainedSnapshot): Buffer {
  const s = trained.snapshot;
  const arrays = s ? [s.idf, s.weights, s.bias, s.centroids ?? new Float32Array(0)] : [];
  const header: Header = {
    trainedWith: trained.trainedWith ?? null,
    model: s
      ? {
          labels: s.labels,
          features: s.features,
          options: s.options,
          examples: s.examples,
          lengths: [s.idf.length, s.weights.length, s.bias.length, s.centroids?.length ?? -1],
        }
      : null,
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const start = align4(4 + json.length);
  const total = start + arrays.reduce((n, a) => n + a.byteLength, 0);
  const out = Buffer.alloc(total);
  out.writeUInt32LE(json.length, 0);
  json.copy(out, 4);
  let at = start;
  for (const a of arrays) {
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(out, at);
    at += a.byteLength;
  }
  return out;
}

export function decodeTrained(bytes: Buffer): TrainedSnapshot | undefined {
  try {
    const length = bytes.readUInt32LE(0);
    const header = JSON.parse(bytes.subarray(4, 4 + length).toString('utf8')) as Header;
    const trainedWith = header.trainedWith ?? undefined;
    if (!header.model) return { snapshot: null, trainedWith };
    const { lengths, ...model } = header.model;
    let at = align4(4 + length);
    const take = (n: number) => {
      const count = Math.max(n, 0);
      if (at + count * 4 > bytes.length) throw new Error('truncated');
      // A copy: aligned, and independent of the file's buffer.
      const array = new Float32Array(count);
      Buffer.from(array.buffer).set(bytes.subarray(at, at + count * 4));
      at += count * 4;
      return array;
    };
    const [idf, weights, bias, centroids] = lengths.map(take) as Float32Array[];
    if (at !== bytes.length) return undefined;
    const snapshot: ClassifierSnapshot = {
      ...model,
      idf: idf!,
      weights: weights!,
      bias: bias!,
      centroids: lengths[3] < 0 ? null : centroids!,
    };
    return { snapshot, trainedWith };
  } catch {
    return undefined;
  }
}
