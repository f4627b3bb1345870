/**
 * Aggregates a V8 .cpuprofile (node --cpu-prof) by self time: top functions and top packages
 * (node_modules/<pkg>, src/<dir>, node: internals, GC, idle excluded from the percentages).
 * Only samples after `--skip-ms` (default 0) from the profile's start count, to leave start-up out.
 *
 *   npx tsx bench/cpu-profile.ts FILE.cpuprofile [--top 40] [--skip-ms 8000]
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const TOP = Number(opt('top', '40'));
const SKIP_US = Number(opt('skip-ms', '0')) * 1000;
const profile = JSON.parse(readFileSync(args[0]!, 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
let t = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  t += dt;
  if (t < SKIP_US) return;
  self.set(id, (self.get(id) ?? 0) + dt);
});

function packageOf(url: string, name: string): string {
  if (name === '(idle)' || name === '(program)' || name === '(garbage collector)') return name;
  if (!url) return '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const m = /\/(src|channels|bench)\/([^/]+)/.exec(url);
  return m ? `${m[1]}/${m[2]}` : url;
}

const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
/** The package of the nearest caller that is library or app code (who asked for native work). */
function ownerOf(id: number): string {
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const { url, functionName } = byId.get(cur)!.callFrame;
    if (url && !url.startsWith('node:')) return packageOf(url, functionName);
  }
  return packageOf(byId.get(id)!.callFrame.url, byId.get(id)!.callFrame.functionName);
}
const owner = new Map<string, number>();
const fn = new Map<string, number>();
const pkg = new Map<string, number>();
let total = 0;
for (const [id, us] of self) {
  const n = byId.get(id)!;
  const { functionName, url, lineNumber } = n.callFrame;
  if (functionName === '(idle)') continue;
  total += us;
  const p = packageOf(url, functionName);
  pkg.set(p, (pkg.get(p) ?? 0) + us);
  const o = ownerOf(id);
  owner.set(o, (owner.get(o) ?? 0) + us);
  const key = `${functionName || '(anonymous)'} ${url.replace(/.*node_modules\//, '').replace(/.*\/perf\//, '')}:${lineNumber + 1}`;
  fn.set(key, (fn.get(key) ?? 0) + us);
}
const show = (m: Map<string, number>, top: number) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(
      ([k, us]) =>
        `${((100 * us) / total).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`,
    )
    .join('\n');
console.log(
  `busy ${(total / 1000).toFixed(0)} ms\n\nby package:\n${show(pkg, 30)}\n\nby calling package (native and node: work charged to its caller):\n${show(owner, 30)}\n\nby function:\n${show(fn, TOP)}`,
);
