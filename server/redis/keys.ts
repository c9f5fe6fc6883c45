/**
 * The service's Redis keys. Everything about one simulation shares the hash tag `{id}`, so a Redis
 * Cluster keeps it in one slot and the progress scripts stay single-slot.
 */
export class Keys {
  constructor(readonly prefix: string) {}
  simulation(id: string): string {
    return `${this.prefix}:sim:{${id}}`;
  }
  request(id: string): string {
    return `${this.prefix}:sim:{${id}}:request`;
  }
  chunk(id: string, index: number): string {
    return `${this.prefix}:sim:{${id}}:chunk:${index}`;
  }
  /** Hash: chunk index → the engine that ran it (JSON ChunkEngine), for the results' engine_used. */
  chunkEngines(id: string): string {
    return `${this.prefix}:sim:{${id}}:engines`;
  }
  results(id: string): string {
    return `${this.prefix}:sim:{${id}}:results`;
  }
  samples(id: string, output: number): string {
    return `${this.prefix}:sim:{${id}}:samples:${output}`;
  }
  file(id: string): string {
    return `${this.prefix}:file:{${id}}`;
  }
  fileModel(id: string): string {
    return `${this.prefix}:file:{${id}}:model`;
  }
  ownerSimulations(owner: string): string {
    return `${this.prefix}:owner:{${owner}}:sims`;
  }
  /**
   * A random value set once per store: when it changes or vanishes, the store was reset (FLUSHALL, a
   * restart without persistence), which tells a lost run from one that was deleted.
   */
  storeEpoch(): string {
    return `${this.prefix}:store-epoch`;
  }
  /** Hash: what the service has learned of the time from a run's last trial to its results. */
  finishingTime(): string {
    return `${this.prefix}:finishing-time`;
  }
  workers(): string {
    return `${this.prefix}:workers`;
  }
  /** Pub/sub: every progress record change, in `seq` order per simulation. */
  eventsChannel(): string {
    return `${this.prefix}:events`;
  }
  /** Pub/sub: simulation ids to stop now. */
  cancelChannel(): string {
    return `${this.prefix}:cancel`;
  }
}
