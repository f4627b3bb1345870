/** Finding a process's descendants by command line (Linux /proc), for the faults the suite injects. */
import { readdirSync, readFileSync } from 'node:fs';

interface Proc {
  pid: number;
  ppid: number;
  args: string;
}

function listProcesses(): Proc[] {
  const out: Proc[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces, so split after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      out.push({ pid: Number(entry), ppid, args });
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

/** The first descendant of `pid` whose command line matches `pattern`. */
export function findDescendant(pid: number, pattern: RegExp): Proc | undefined {
  const all = listProcesses();
  const below = new Set([pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of all) {
      if (!below.has(p.pid) && below.has(p.ppid)) {
        below.add(p.pid);
        grew = true;
      }
    }
  }
  return all.find((p) => p.pid !== pid && below.has(p.pid) && pattern.test(p.args));
}
