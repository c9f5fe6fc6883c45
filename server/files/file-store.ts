/** Uploaded workbooks, kept as parsed models (not bytes) with their owner, for a limited time. */

import type { WorkbookModel } from '../../shared/model';
import type { RedisClient } from '../redis/connect';
import type { Keys } from '../redis/keys';

export interface StoredFile {
  owner: string;
  filename: string;
  size_bytes: number;
  model: WorkbookModel;
}

export class FileStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly ttlSeconds: number,
  ) {}

  async save(id: string, file: StoredFile): Promise<void> {
    await this.redis.set(this.keys.file(id), JSON.stringify(file), 'EX', this.ttlSeconds);
  }

  /** The file, or undefined when it is unknown, expired or another key's. */
  async get(id: string, owner: string): Promise<StoredFile | undefined> {
    const text = await this.redis.get(this.keys.file(id));
    if (!text) return undefined;
    const file = JSON.parse(text) as StoredFile;
    return file.owner === owner ? file : undefined;
  }
}
