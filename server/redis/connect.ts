/**
 * Redis connections: one kind for BullMQ and pub/sub (waits out outages), one for requests (fails fast).
 * `REDIS_URL` names one server (`redis://…`, `rediss://…`) or a Redis Cluster by some of its nodes
 * (`redis+cluster://[user:password@]host:port,host:port`, `rediss+cluster://…` for TLS); the same calls
 * then return an ioredis Cluster that finds the other nodes and follows slot moves.
 */
import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';

/** A connection to one server or to a cluster; the service's keys and scripts work on both. */
export type RedisClient = Redis | Cluster;

interface ClusterUrl {
  nodes: { host: string; port: number }[];
  options: RedisOptions;
}

const CLUSTER_URL = /^(rediss?)\+cluster:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?#]+)\/?$/;

/** The cluster a `redis+cluster://` URL names; undefined for a single-server URL. */
export function parseClusterUrl(url: string): ClusterUrl | undefined {
  if (!/^rediss?\+cluster:/.test(url)) return undefined;
  const match = CLUSTER_URL.exec(url);
  if (!match)
    throw new Error(`REDIS_URL "${url}" is not redis+cluster://[user:password@]host:port[,host:port…]`);
  const [, scheme, username, password, hosts] = match;
  const nodes = hosts.split(',').map((node) => {
    const at = node.lastIndexOf(':');
    const host = at > 0 ? node.slice(0, at) : node;
    const port = at > 0 ? Number(node.slice(at + 1)) : 6379;
    if (!host || !Number.isInteger(port) || port < 1 || port > 65_535)
      throw new Error(`REDIS_URL "${url}": "${node}" is not host:port`);
    return { host, port };
  });
  const decode = (part: string | undefined) => (part ? decodeURIComponent(part) : undefined);
  const user = decode(username);
  const secret = decode(password);
  return {
    nodes,
    options: {
      ...(user ? { username: user } : {}),
      ...(secret ? { password: secret } : {}),
      ...(scheme === 'rediss' ? { tls: {} } : {}),
    },
  };
}

function connect(url: string, options: RedisOptions, cluster: Omit<ClusterOptions, 'redisOptions'> = {}) {
  const parsed = parseClusterUrl(url);
  const client = parsed
    ? new Cluster(parsed.nodes, { ...cluster, redisOptions: { ...parsed.options, ...options } })
    : new Redis(url, options);
  outages.watch(client, url);
  connections.track(client);
  return client;
}

/**
 * Every connection this process opened and has not yet closed, with the copies BullMQ makes of them
 * (`duplicate()`, for each worker's blocking connection). A close must reach the copies too: after a
 * Redis outage BullMQ's own close may never end, and a copy left reconnecting keeps the process alive.
 */
class ConnectionRegistry {
  private readonly open = new Set<RedisClient>();
  private readonly copies = new WeakMap<RedisClient, RedisClient[]>();

  track(client: RedisClient): void {
    this.open.add(client);
    client.once('end', () => this.open.delete(client));
    const made: RedisClient[] = [];
    this.copies.set(client, made);
    const duplicate = client.duplicate.bind(client) as (...args: unknown[]) => RedisClient;
    client.duplicate = ((...args: unknown[]) => {
      const copy = duplicate(...args);
      this.track(copy);
      made.push(copy);
      return copy;
    }) as typeof client.duplicate;
  }

  /**
   * Closes a connection and every copy made of it. Commands waiting on a closed connection fail
   * ("Connection is closed"), so whatever awaited them (BullMQ's blocking fetch) can end.
   */
  async close(client: RedisClient): Promise<void> {
    await Promise.all((this.copies.get(client) ?? []).map((copy) => this.close(copy)));
    this.open.delete(client);
    // Whatever tries to reconnect it later (BullMQ's fetch loop does) gets one attempt, not a loop.
    if (client instanceof Redis) client.options.retryStrategy = () => null;
    if (client instanceof Redis && client.status === 'reconnecting') {
      // ioredis's disconnect() in this state cancels the retry but never fails the commands queued
      // for it, which then wait for ever (BullMQ's own close leaves its connections so after an
      // outage). One more attempt, made as a closing connection, ends it: it fails those commands, or
      // it connects and is closed below.
      client.disconnect();
      const settled = new Promise((resolve) => {
        client.once('end', resolve);
        client.once('ready', resolve);
      });
      client.connect().catch(() => {});
      await settled;
    }
    if (client.status !== 'end') client.disconnect();
  }

  /** How many are still open; tests await it falling back after a stop. */
  get count(): number {
    return this.open.size;
  }
}

export const connections = new ConnectionRegistry();

/** How long a BullMQ close may take once nothing of ours is running: without Redis it may never end. */
export const CLOSE_GRACE_MS = 3_000;

/** Whether `closing` settled within CLOSE_GRACE_MS; a close that failed counts as done. */
export async function closedWithinGrace(closing: Promise<unknown>): Promise<boolean> {
  let grace: NodeJS.Timeout | undefined;
  const closed = await Promise.race([
    closing.then(
      () => true,
      () => true,
    ),
    new Promise<false>((resolve) => {
      grace = setTimeout(() => resolve(false), CLOSE_GRACE_MS);
    }),
  ]);
  clearTimeout(grace);
  return closed;
}

/**
 * Redis outages as one process sees them: one line when the first connection loses Redis, one when the
 * last of the connections that lost it is back. Every connection reports here (an `error` listener),
 * so ioredis never prints its "Unhandled error event" stack for each reconnect attempt of each one.
 */
class OutageLog {
  private readonly failing = new Set<RedisClient>();
  private downSince: number | undefined;
  /** Connection errors seen (each reconnect attempt of each connection); tests await it. */
  errors = 0;

  get down(): boolean {
    return this.downSince !== undefined;
  }

  watch(client: RedisClient, url: string): void {
    client.on('error', (error: Error) => {
      this.errors++;
      this.failing.add(client);
      if (this.downSince !== undefined) return;
      this.downSince = Date.now();
      const reason = (error as NodeJS.ErrnoException).code ?? error.message;
      console.warn(
        `montecell: Redis at ${withoutSecrets(url)} is unreachable (${reason}); reconnecting, requests answer 503 meanwhile`,
      );
    });
    client.on('ready', () => {
      // Also those back without a 'ready' of their own (an error on a live connection, one closed).
      for (const c of [client, ...this.failing])
        if (c === client || c.status === 'ready' || c.status === 'end') this.failing.delete(c);
      if (this.failing.size > 0 || this.downSince === undefined) return;
      const seconds = ((Date.now() - this.downSince) / 1000).toFixed(1);
      this.downSince = undefined;
      console.log(`montecell: Redis at ${withoutSecrets(url)} answers again (down ${seconds} s)`);
    });
    // A connection closed on purpose no longer counts toward the recovery.
    client.on('end', () => this.failing.delete(client));
  }
}

export const outages = new OutageLog();

function withoutSecrets(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//');
}

/** For BullMQ workers, queues and subscribers: commands wait for the connection to come back. */
export function durableConnection(url: string): RedisClient {
  return connect(url, { maxRetriesPerRequest: null, lazyConnect: false });
}

/** For API requests: when Redis is down, commands fail at once so the API can answer 503. */
export function requestConnection(url: string): RedisClient {
  const retry = (attempt: number) => Math.min(attempt * 100, 1_000);
  return connect(
    url,
    { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: retry },
    { enableOfflineQueue: false, clusterRetryStrategy: retry },
  );
}

/** The servers holding data: the cluster's masters, or the one server (for SCAN, which is per server). */
export function dataNodes(redis: RedisClient): Redis[] {
  return redis instanceof Cluster ? redis.nodes('master') : [redis];
}

/** Errors that mean "Redis is not reachable" rather than a bug. */
export function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    error.name === 'MaxRetriesPerRequestError' ||
    /Connection is closed|enableOfflineQueue|ECONNREFUSED|ECONNRESET|Stream isn't writeable|connect ETIMEDOUT/.test(
      error.message,
    )
  );
}

export async function waitUntilReady(redis: RedisClient, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Redis did not answer in time')), timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
