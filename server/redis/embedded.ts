/**
 * Embedded Redis for zero-setup starts: when nothing answers at the configured URL and `redis-server` is
 * on PATH, start one on a free loopback port (no persistence) and use it. Used by `npm start` and the demo.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer, Socket } from 'node:net';

export interface RedisHandle {
  url: string;
  /** Set when this process started the server; stops it. */
  stop?: () => Promise<void>;
}

export async function ensureRedis(url: string): Promise<RedisHandle> {
  const { hostname, port } = new URL(url);
  if (await answers(hostname || '127.0.0.1', Number(port || 6379))) return { url };
  if (!hasRedisServer())
    throw new Error(
      `nothing answers at ${url} and redis-server is not installed: start Redis or set REDIS_URL`,
    );
  const server = await startRedisServer();
  return server;
}

/** `port`: a given one (a restart on the same address), else a free one. */
export async function startRedisServer(
  extraArgs: string[] = [],
  port?: number,
): Promise<RedisHandle & { port: number; process: ChildProcess }> {
  port ??= await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extraArgs],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 5_000;
  while (!(await answers('127.0.0.1', port))) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error('embedded redis-server did not start');
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** True when a Redis server answers PING at host:port. */
function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}
