/**
 * Uploaded workbooks, kept as parsed models with their owner, for a limited time. What the API reads
 * (owner, name, size) is stored apart from the model, which only the intake threads parse.
 */

import type { RedisClient } from '../redis/connect';
import type { Keys } from '../redis/keys';

export interface StoredFile {
  owner: string;
  filename: string;
  size_bytes: number;
}

export class FileStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly ttlSeconds: number,
  ) {}

  /** `modelText` is the WorkbookModel as JSON, as the intake thread wrote it. */
  async save(id: string, file: StoredFile, modelText: string): Promise<void> {
    await this.redis
      .multi()
      .set(this.keys.fileModel(id), modelText, 'EX', this.ttlSeconds)
      .set(this.keys.file(id), JSON.stringify(file), 'EX', this.ttlSeconds)
      .exec();
  }

  /** The file, or undefined when it is unknown, expired or another key's. */
  async get(id: string, owner: string): Promise<StoredFile | undefined> {
    const text = await this.redis.get(this.keys.file(id));
    if (!text) return undefined;
    const file = JSON.parse(text) as StoredFile;
    return file.owner === owner ? file : undefined;
  }

  /** The file's model as JSON text, for an intake thread to parse. */
  async modelText(id: string): Promise<string | undefined> {
    return (await this.redis.get(this.keys.fileModel(id))) ?? undefined;
  }
}
