/**
 * Automatic assignment: waiting conversations (oldest first) go round-robin to available agents
 * under the per-agent capacity (an agent's own when an admin set one) — of the conversation's team when it has one (its own, or the one
 * routing.ts picks), else of everyone.
 *
 * Safe with several instances: a pass runs under one install-wide Redis lock
 * (`<prefix>:lock:assignment`), so two passes never read the same load and both give an agent
 * their last free place; each assignment is the escalator's conditional write "only while
 * queued" under the conversation lock, so a conversation claimed meanwhile (Slack, console) is
 * never assigned twice. Round-robin: among the eligible, the one longest without an automatic
 * assignment is next (StaffPresence.lastAssignedAt), so turns survive restarts and are shared by
 * every instance.
 *
 * A pass is asked for (`kick`) when a conversation is escalated, handed to a team, closed (a
 * place frees up), when an agent becomes available or the capacity changes, and every
 * `intervalMs` on worker instances as a safety net. Kicks while a pass runs fold into one more pass.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Escalator } from '../../kernel/contracts/escalation.js';
import { routeToTeam } from '../../kernel/db/conversation-state.js';
import { Conversation, type ConversationDoc } from '../../kernel/db/models/conversation.js';
import { lockKey, release, tryAcquire } from '../../kernel/redis/lock.js';
import { assignableAgents, markAutoAssigned, type Agent } from './agents.js';
import { readCapacity, Team, type TeamDoc } from './models.js';
import { routeConversation } from './routing.js';

/** Waiting conversations looked at per pass (the next pass takes the rest). */
const BATCH = 50;
const LOCK_TTL_MS = 5 * 60_000;
/** While another instance runs a pass: try again this often, this many times. */
const RETRY_MS = 250;
const RETRIES = 40;

export interface AutoAssigner {
  /** Asks for a pass soon; never throws. */
  kick(): void;
  /** One pass now (tests, the interval): how many were assigned, or undefined if another ran. */
  runOnce(): Promise<number | undefined>;
  /** Resolves when no pass is running or asked for. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export function createAutoAssigner(deps: {
  redis: Redis;
  prefix: string;
  escalator: Escalator;
  logger: Logger;
  now?: () => Date;
}): AutoAssigner {
  const now = deps.now ?? (() => new Date());
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  async function runOnce(): Promise<number | undefined> {
    const key = lockKey(deps.prefix, 'assignment');
    const owner = await tryAcquire(deps.redis, key, LOCK_TTL_MS);
    if (!owner) return undefined;
    try {
      return await assignWaiting(deps.escalator, now);
    } finally {
      await release(deps.redis, key, owner);
    }
  }

  async function loop(): Promise<void> {
    let retries = 0;
    do {
      again = false;
      try {
        const done = await runOnce();
        if (done === undefined && retries++ < RETRIES && !stopped) {
          // Another instance is assigning; it may have read before our change: once more later.
          await new Promise((r) => setTimeout(r, RETRY_MS));
          again = true;
        }
      } catch (err) {
        deps.logger.error({ err }, 'automatic assignment failed');
      }
    } while (again && !stopped);
  }

  return {
    kick() {
      if (stopped) return;
      if (running) {
        again = true;
        return;
      }
      running = loop().finally(() => {
        running = undefined;
      });
    },
    runOnce,
    async idle() {
      while (running) await running;
    },
    async stop() {
      stopped = true;
      await running;
    },
  };
}

/** One pass (the caller holds the assignment lock). */
async function assignWaiting(escalator: Escalator, now: () => Date): Promise<number> {
  if (!escalator.assign) return 0;
  const waiting = await Conversation.find({ status: 'queued', channel: { $ne: 'studio' } })
    .sort({ 'escalation.queuedAt': 1, _id: 1 })
    .limit(BATCH)
    .lean<ConversationDoc[]>();
  if (waiting.length === 0) return 0;
  const teams = await Team.find({}).lean<TeamDoc[]>();
  const [agents, capacity] = await Promise.all([assignableAgents(teams), readCapacity()]);
  const pool = agents.filter((a) => a.presence === 'available');
  let assigned = 0;
  for (const c of waiting) {
    const team = await teamOf(c, teams);
    const pick = nextAgent(pool, capacity, team);
    if (!pick) continue;
    const id = c._id.toHexString();
    const ok = await escalator.assign(id, { id: pick.id, name: pick.name }, 'auto', {
      onlyFrom: null,
      reason: 'auto',
    });
    if (!ok) continue;
    const at = now();
    await markAutoAssigned(pick.id, at);
    pick.open += 1;
    pick.lastAssignedAt = at.getTime();
    assigned += 1;
  }
  return assigned;
}

/** The conversation's team: the one it was handed to, else the routing's pick (written once). */
async function teamOf(c: ConversationDoc, teams: TeamDoc[]): Promise<TeamDoc | undefined> {
  if (c.team?.id) return teams.find((t) => t._id.toHexString() === c.team!.id);
  const routed = routeConversation(c, teams);
  if (routed) await routeToTeam(c._id, { id: routed._id.toHexString(), name: routed.name });
  return routed;
}

/**
 * Round-robin among the eligible — under their own capacity when an admin set one, else the
 * install's — the longest without an automatic assignment first.
 */
export function nextAgent(
  pool: Agent[],
  capacity: number,
  team: TeamDoc | undefined,
): Agent | undefined {
  const members = team ? new Set(team.members.map((m) => m.toHexString())) : undefined;
  return pool
    .filter((a) => a.open < (a.capacity ?? capacity) && (!members || members.has(a.userId)))
    .sort((a, b) => a.lastAssignedAt - b.lastAssignedAt || a.id.localeCompare(b.id))[0];
}
