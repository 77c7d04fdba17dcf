/**
 * The experiments' records in Redis (the platform's `experiment:<id>` keys):
 * the live record of each job (status, logs, the final record once completed)
 * and a sorted set by creation time for `GET /jobs`. The queue (BullMQ) holds
 * the work; this holds what clients read.
 */
import type { Redis } from 'ioredis';
import { parseRecordJson, recordToJson, type ExperimentRecord } from '../executor/index.ts';

export interface StoredJob {
  record: ExperimentRecord;
  /** Attempts started so far (1 on the first run). */
  attempts: number;
  /** The worker running it, `host:pid` (while running). */
  worker?: string;
  /** Artefact URIs once completed. */
  record_uri?: string;
  profiling_uri?: string;
}

export class RecordStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'dissmodel',
  ) {}

  private key(id: string): string {
    return `${this.prefix}:experiment:${id}`;
  }

  async put(job: StoredJob): Promise<void> {
    const json = JSON.stringify({ ...job, record: JSON.parse(recordToJson(job.record)) });
    const score = Date.parse(job.record.created_at) || Date.now();
    await this.redis
      .multi()
      .set(this.key(job.record.experiment_id), json)
      .zadd(`${this.prefix}:experiments`, score, job.record.experiment_id)
      .exec();
  }

  async get(id: string): Promise<StoredJob | null> {
    const raw = await this.redis.get(this.key(id));
    if (!raw) return null;
    const parsed = JSON.parse(raw) as StoredJob;
    return { ...parsed, record: parseRecordJson(JSON.stringify(parsed.record)) };
  }

  /** Apply `change` to the stored job (read, modify, write). */
  async update(id: string, change: (job: StoredJob) => void): Promise<StoredJob | null> {
    const job = await this.get(id);
    if (!job) return null;
    change(job);
    await this.put(job);
    return job;
  }

  /** Newest first. */
  async ids(limit: number): Promise<string[]> {
    return this.redis.zrevrange(`${this.prefix}:experiments`, 0, Math.max(0, limit - 1));
  }

  async count(): Promise<number> {
    return this.redis.zcard(`${this.prefix}:experiments`);
  }

  /** Channel on which `DELETE /job/{id}` tells workers to stop a running job. */
  get cancelChannel(): string {
    return `${this.prefix}:cancel`;
  }
}
