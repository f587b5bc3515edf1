import type { FeedRecord } from '../feed';
import type { OsvLimits } from './source';

/** Records gathered for the next batch, counted so a batch stays within the limits of a run's memory. */
export class PendingBatch {
  private records: FeedRecord[] = [];
  private bytes = 0;

  constructor(private readonly limits: Pick<OsvLimits, 'batchRecords' | 'batchBytes'>) {}

  add(record: FeedRecord, bytes: number): void {
    this.records.push(record);
    this.bytes += bytes;
  }

  get full(): boolean {
    return this.records.length >= this.limits.batchRecords || this.bytes >= this.limits.batchBytes;
  }

  /** The records so far; the batch starts empty again. */
  take(): FeedRecord[] {
    const records = this.records;
    this.records = [];
    this.bytes = 0;
    return records;
  }
}
