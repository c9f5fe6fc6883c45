/** Deletes every key matching the patterns (a demo's, load run's or test's own prefixes). */
import { connections, dataNodes, requestConnection, waitUntilReady } from './connect';

export async function deleteKeysMatching(url: string, patterns: string[]): Promise<void> {
  const redis = requestConnection(url);
  try {
    await waitUntilReady(redis, 2_000);
    for (const node of dataNodes(redis))
      for (const pattern of patterns) {
        let cursor = '0';
        do {
          const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
          cursor = next;
          // One DEL per key: on a cluster the keys of one SCAN page lie in many slots.
          await Promise.all(keys.map((key) => redis.del(key)));
        } while (cursor !== '0');
      }
  } finally {
    await connections.close(redis);
  }
}
