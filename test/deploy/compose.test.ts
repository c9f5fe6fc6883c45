/**
 * The deployment files, checked as Docker Compose reads them (`docker compose config`, which needs no
 * daemon): images cannot be pulled or built on a test machine, so this is what can be checked here.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..');
const run = promisify(execFile);

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  profiles?: string[];
  ports?: unknown[];
  container_name?: string;
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
  deploy?: { resources?: { reservations?: { devices?: { driver: string; capabilities: string[] }[] } } };
}

/** Compose v2 (`docker compose`) where it is installed, else Compose v1 (`docker-compose`). */
async function composeCommand(): Promise<string[]> {
  try {
    await run('docker', ['compose', 'version']);
    return ['docker', 'compose'];
  } catch {
    try {
      await run('docker-compose', ['version']);
      return ['docker-compose'];
    } catch {
      throw new Error('neither `docker compose` nor `docker-compose` is installed: run npm run setup');
    }
  }
}

async function composeConfig(env: Record<string, string> = {}): Promise<{
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}> {
  const [command, ...args] = await composeCommand();
  const { stdout } = await run(command, [...args, '-f', join(ROOT, 'compose.yaml'), 'config'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
  });
  return parse(stdout);
}

describe('compose.yaml', () => {
  let config: Awaited<ReturnType<typeof composeConfig>>;
  beforeAll(async () => {
    config = await composeConfig();
  });

  it('is valid for Docker Compose and brings up Redis, the API and CPU workers, GPU workers behind a profile', () => {
    expect(Object.keys(config.services).sort()).toEqual(['api', 'gpu-worker', 'redis', 'worker']);
    for (const name of ['redis', 'api', 'worker']) expect(config.services[name].profiles).toBeUndefined();
    expect(config.services['gpu-worker'].profiles).toEqual(['gpu']);
    const devices = config.services['gpu-worker'].deploy?.resources?.reservations?.devices ?? [];
    expect(devices).toEqual([expect.objectContaining({ driver: 'nvidia', capabilities: ['gpu'] })]);
  });

  it('runs Redis with AOF persistence and the noeviction policy BullMQ requires', () => {
    const command = config.services.redis.command ?? [];
    const flag = (name: string) => command[command.indexOf(name) + 1];
    expect(command[0]).toBe('redis-server');
    expect(flag('--appendonly')).toBe('yes');
    expect(flag('--maxmemory-policy')).toBe('noeviction');
    expect(config.volumes).toHaveProperty('redis-data');
  });

  it('runs the API and the workers apart, from one image, on entry points the build produces', () => {
    const { api, worker } = config.services;
    expect(api.image).toBe(worker.image);
    expect(api.build?.dockerfile).toBe('Dockerfile');
    expect(api.command).toEqual(['node', 'build/server/api-main.js']);
    expect(worker.command).toEqual(['node', 'build/server/worker-main.js']);
    // `npm test` builds the server bundle before jest runs, as the Dockerfile's build stage does.
    for (const service of [api, worker])
      expect(existsSync(join(ROOT, service.command?.[1] ?? ''))).toBe(true);
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/RUN node scripts\/build-server\.mjs/);
    expect(dockerfile).toMatch(/COPY --from=build \/app\/build\/server \.\/build\/server/);
  });

  it('lets workers scale with --scale: no fixed container name, no published port', () => {
    for (const name of ['worker', 'gpu-worker']) {
      expect(config.services[name].container_name).toBeUndefined();
      expect(config.services[name].ports).toBeUndefined();
    }
  });

  it('points every Montecell container at the Redis service and waits until it answers', () => {
    for (const name of ['api', 'worker', 'gpu-worker']) {
      expect(config.services[name].environment?.REDIS_URL).toBe('redis://redis:6379');
      expect(config.services[name].depends_on?.redis?.condition).toBe('service_healthy');
    }
  });

  it('takes the secrets and the port from the environment', async () => {
    const configured = await composeConfig({ ADMIN_TOKEN: 's3cret', MONTECELL_PORT: '9100' });
    expect(configured.services.api.environment?.ADMIN_TOKEN).toBe('s3cret');
    expect(JSON.stringify(configured.services.api.ports)).toMatch(/9100/);
  });
});
