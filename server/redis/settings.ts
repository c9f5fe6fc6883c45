/**
 * Checks, once per process and Redis, the server settings the service relies on, and warns clearly when
 * they are wrong: BullMQ needs `maxmemory-policy noeviction` (an evicted queue key loses or corrupts
 * jobs), and without persistence (neither AOF nor RDB snapshots) a restart loses every run and upload.
 * Production settings: README, Service.
 */
import { dataNodes, type RedisClient } from './connect';

const checked = new Set<string>();

/** The warnings for one server's settings ([] when they are right or cannot be read). */
export async function redisSettingWarnings(redis: RedisClient, url: string): Promise<string[]> {
  const warnings: string[] = [];
  for (const node of dataNodes(redis)) {
    const config = await readConfig(node, ['maxmemory-policy', 'appendonly', 'save']);
    // Managed services may refuse CONFIG: nothing can be said then, and the service still runs.
    if (!config) continue;
    const where = `Redis at ${url.replace(/\/\/[^@/]*@/, '//')}`;
    const policy = config['maxmemory-policy'];
    if (policy !== undefined && policy !== 'noeviction')
      warnings.push(
        `montecell: ${where} has maxmemory-policy "${policy}"; BullMQ needs "noeviction" (an evicted queue key loses or corrupts runs): set maxmemory-policy noeviction`,
      );
    if (config.appendonly === 'no' && (config.save ?? '').trim() === '')
      warnings.push(
        `montecell: ${where} has no persistence (appendonly no, no save rules): a restart loses every run and upload; set appendonly yes`,
      );
  }
  return [...new Set(warnings)];
}

/** Warns once per process and Redis URL. */
export async function warnAboutRedisSettings(redis: RedisClient, url: string): Promise<void> {
  if (checked.has(url)) return;
  checked.add(url);
  for (const warning of await redisSettingWarnings(redis, url).catch(() => [])) console.warn(warning);
}

async function readConfig(
  node: ReturnType<typeof dataNodes>[number],
  names: string[],
): Promise<Record<string, string> | undefined> {
  try {
    const flat = (await node.call('CONFIG', 'GET', ...names)) as string[];
    const config: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) config[flat[i]] = flat[i + 1];
    return config;
  } catch {
    return undefined;
  }
}
