import { availableParallelism } from 'node:os';

/** Service settings, read once from the environment. Every knob has a production default. */
import { defaultCacheDir } from './engine/backends/cuda/compiler';

export interface ServiceConfig {
  port: number;
  host: string;
  redisUrl: string;
  /** Prefix of the service's own keys (progress records, files, results). */
  redisPrefix: string;
  /** BullMQ prefix; hash-tagged so every queue key lands in one Redis Cluster slot. */
  queuePrefix: string;
  apiKeys: string[];
  adminToken: string | undefined;
  allowedOrigins: string[];
  /** Requests per minute per key (or per address without keys). */
  rateLimitPerMinute: number;
  bodyLimit: string;
  fileTtlSeconds: number;
  resultTtlSeconds: number;
  /** A running simulation without heartbeats for this long shows `stalled: true`. */
  stallAfterMs: number;
  heartbeatMs: number;
  /** Trials per chunk job: runs spread over workers in chunks of about this size. */
  chunkTrials: number;
  maxChunks: number;
  /** Chunk jobs one worker process runs at once (each on its own thread). */
  chunkConcurrency: number;
  /** Engine threads of a worker process (started on demand); a chunk runs on one. */
  chunkThreads: number;
  /** Compiled runs each engine thread keeps warm for the run's next chunks. */
  warmRuns: number;
  /** Heap limit of an engine thread in MB (0: Node's default); a chunk over it fails `out-of-memory`. */
  threadMemoryMb: number;
  /** An engine thread silent this long on a chunk (a trial that does not end) is stopped; the run fails. */
  trialTimeoutMs: number;
  /** BullMQ lock and stalled-check timing: how fast a lost worker's chunk goes to another worker. */
  lockDurationMs: number;
  stalledIntervalMs: number;
  maxUploadBytes: number;
  maxUncompressedBytes: number;
  /** The API's intake threads: uploads are read and models compiled there, each under these limits. */
  intakeThreads: number;
  intakeTimeoutMs: number;
  intakeMemoryMb: number;
  /** Where GPU workers keep built CUDA programs (one per model, named by the hash of its source). */
  gpuCacheDir: string;
  /** The longest one nvcc build may take before the GPU run fails. */
  nvccTimeoutMs: number;
}

function readInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, not "${raw}"`);
  return Math.floor(n);
}

/** Where built CUDA programs are kept and how long one build may take: workers' and the CLI's. */
export function gpuBuildSettings(
  env: NodeJS.ProcessEnv = process.env,
): Pick<ServiceConfig, 'gpuCacheDir' | 'nvccTimeoutMs'> {
  return {
    gpuCacheDir: env.MONTECELL_GPU_CACHE || defaultCacheDir(),
    // Seconds, as in test/gpu/run.sh.
    nvccTimeoutMs: readInt(env, 'MONTECELL_NVCC_TIMEOUT', 900) * 1000,
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const int = (name: string, fallback: number): number => readInt(env, name, fallback);
  const list = (raw: string | undefined, fallback: string[]): string[] =>
    raw === undefined
      ? fallback
      : raw
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  const threads = Math.max(1, int('WORKER_THREADS', availableParallelism()));
  const redisUrl = env.REDIS_URL || 'redis://127.0.0.1:6379';
  const queuePrefix = env.QUEUE_PREFIX || `{${env.REDIS_PREFIX || 'montecell'}}`;
  // BullMQ's scripts touch many keys of a queue at once; on a cluster they must share one slot.
  if (/^rediss?\+cluster:/.test(redisUrl) && !/\{[^}]+\}/.test(queuePrefix))
    throw new Error(`QUEUE_PREFIX must contain a hash tag such as "{${queuePrefix}}" on a Redis Cluster`);
  return {
    port: int('PORT', 8000),
    host: env.HOST || '0.0.0.0',
    redisUrl,
    redisPrefix: env.REDIS_PREFIX || 'montecell',
    queuePrefix,
    apiKeys: list(env.API_KEYS, []),
    adminToken: env.ADMIN_TOKEN || undefined,
    allowedOrigins: list(env.ALLOWED_ORIGINS, ['https://localhost:3000']),
    rateLimitPerMinute: int('RATE_LIMIT_PER_MINUTE', 1200),
    bodyLimit: env.BODY_LIMIT || '50mb',
    fileTtlSeconds: int('FILE_TTL_SECONDS', 24 * 3600),
    resultTtlSeconds: int('RESULT_TTL_SECONDS', 24 * 3600),
    stallAfterMs: int('STALL_AFTER_MS', 10_000),
    heartbeatMs: int('HEARTBEAT_MS', 500),
    chunkTrials: Math.max(1, int('CHUNK_TRIALS', 50_000)),
    maxChunks: Math.max(1, int('MAX_CHUNKS', 64)),
    chunkConcurrency: Math.max(1, int('WORKER_CONCURRENCY', threads)),
    chunkThreads: threads,
    warmRuns: Math.max(1, int('WARM_RUNS', 4)),
    threadMemoryMb: int('THREAD_MEMORY_MB', 0),
    trialTimeoutMs: Math.max(1_000, int('TRIAL_TIMEOUT_MS', 120_000)),
    lockDurationMs: int('LOCK_DURATION_MS', 5_000),
    stalledIntervalMs: int('STALLED_INTERVAL_MS', 1_000),
    maxUploadBytes: int('MAX_UPLOAD_BYTES', 25 * 1024 * 1024),
    maxUncompressedBytes: int('MAX_UNCOMPRESSED_BYTES', 200 * 1024 * 1024),
    intakeThreads: Math.max(1, int('INTAKE_THREADS', 2)),
    intakeTimeoutMs: Math.max(100, int('INTAKE_TIMEOUT_MS', 20_000)),
    intakeMemoryMb: Math.max(64, int('INTAKE_MEMORY_MB', 1024)),
    ...gpuBuildSettings(env),
  };
}
