/**
 * Queue namespaces: every job carries the id of the install (database) that queued it, and every
 * worker refuses a job of another install. The default queue prefix is already per install
 * (`charla:<installId>`), so this guard only fires when two installs were given one explicit
 * QUEUE_PREFIX on one Redis — then it fails loudly (error log, metric, the job moved to failed
 * with the reason, its data kept for an operator) instead of processing another database's job or
 * dropping it silently.
 */
import {
  Queue,
  UnrecoverableError,
  type BulkJobOptions,
  type Job,
  type JobSchedulerTemplateOptions,
  type JobsOptions,
  type QueueOptions,
  type RepeatOptions,
} from 'bullmq';

/** The field every job of an install carries. */
export interface InstallStamp {
  installId: string;
}

export interface InstallScope {
  /** This install's id: stamped on every job queued here, required of every job processed here. */
  readonly installId: string;
  /** Told about each refused job (log + metric), before the job is failed. */
  onForeignJob(queue: string, job: Job, foreignInstallId: string | undefined): void;
}

/** The queue prefix of an install when QUEUE_PREFIX is not set. */
export const defaultQueuePrefix = (installId: string): string => `charla:${installId}`;

/** The install id a job was stamped with, if any. */
export function installIdOf(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const id = (data as Partial<InstallStamp>).installId;
  return typeof id === 'string' ? id : undefined;
}

/** A BullMQ queue whose every job (single, bulk, or made by a scheduler) carries the install id. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- BullMQ's own default result type
export class InstallQueue<Data extends object> extends Queue<Data, any, string, Data, any, string> {
  readonly installId: string;

  constructor(name: string, { installId, ...opts }: QueueOptions & InstallStamp) {
    super(name, opts);
    this.installId = installId;
    // Its connection's errors are the shared client's, logged once per outage there
    // (src/kernel/redis/redis.ts); without a listener BullMQ prints each one to stderr.
    this.on('error', () => undefined);
  }

  private stamp(data: Data | undefined): Data {
    return { ...data, installId: this.installId } as Data;
  }

  // `add` goes through `addJob` (BullMQ's hook for subclasses).
  protected override addJob(name: string, data: Data, opts?: JobsOptions) {
    return super.addJob(name, this.stamp(data), opts);
  }

  override addBulk(jobs: { name: string; data: Data; opts?: BulkJobOptions }[]) {
    return super.addBulk(jobs.map((j) => ({ ...j, data: this.stamp(j.data) })));
  }

  override upsertJobScheduler(
    jobSchedulerId: string,
    repeatOpts: Omit<RepeatOptions, 'key'>,
    jobTemplate?: { name?: string; data?: Data; opts?: JobSchedulerTemplateOptions },
  ) {
    return super.upsertJobScheduler(jobSchedulerId, repeatOpts, {
      ...jobTemplate,
      data: this.stamp(jobTemplate?.data),
    });
  }
}

/** Why a foreign job was refused, as kept in the job's failedReason. */
export function foreignJobReason(own: string, foreign: string | undefined): string {
  return (
    `foreign_install: this job belongs to install ${foreign ?? '(none: queued without an install id)'}, ` +
    `this worker serves install ${own}; two installs share one QUEUE_PREFIX on one Redis — ` +
    'give each its own QUEUE_PREFIX, or leave it unset (the default is per install)'
  );
}

/**
 * Wraps a worker's processor: a job of another install is refused (reported, then failed for good
 * with UnrecoverableError, so BullMQ keeps it in the failed set with the reason) and never
 * reaches `processor`.
 */
export function refuseForeignJobs<Data, Result>(
  scope: InstallScope,
  queue: string,
  processor: (job: Job<Data>, token?: string) => Promise<Result>,
): (job: Job<Data>, token?: string) => Promise<Result> {
  return async (job, token) => {
    const stamped = installIdOf(job.data);
    if (stamped !== scope.installId) {
      scope.onForeignJob(queue, job, stamped);
      throw new UnrecoverableError(foreignJobReason(scope.installId, stamped));
    }
    return processor(job, token);
  };
}
