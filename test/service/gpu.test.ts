/**
 * Engine selection in the service with a worker process whose GPU fails validation (the
 * MONTECELL_FAKE_GPU test hook): engine "gpu" ends failed with the GPUValidationError's message, never
 * completed; "auto" completes on the CPU and says why the GPU was skipped; health and the worker
 * registry report the GPU unusable with the reason.
 */
import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { Keys } from '../../server/redis/keys';
import {
  api,
  type Body,
  kill,
  pollUntilDone,
  smallModel,
  startTestService,
  startWorker,
  type TestService,
} from './helpers';

const children: ChildProcess[] = [];
afterAll(async () => {
  await Promise.all(children.map(kill));
});

/** Health once the live worker has finished validating its GPU. */
async function healthAfterValidation(svc: TestService): Promise<Body> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { body } = await api(svc.url, '/api/health');
    if (body.workers === 1 && !String(body.engines.gpu_reason).includes('being validated')) return body;
    if (Date.now() > deadline) throw new Error(`GPU validation did not finish: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function run(svc: TestService, engine: string): Promise<Body> {
  const submitted = await api(svc.url, '/api/simulations/run', {
    body: { model: smallModel(), target_cells: ['C1'], iterations: 3_000, seed: 9, engine },
  });
  expect(submitted.status).toBe(202);
  const id = submitted.body.simulation_id;
  await pollUntilDone(svc.url, id, 30_000);
  return (await api(svc.url, `/api/simulations/${id}`)).body;
}

describe.each([
  [
    'wrong-results',
    /^GPU validation failed on fake GPU \(MONTECELL_FAKE_GPU=wrong-results test hook\): results differ from the CPU backend beyond 1e-9: output 0 trial 0: GPU /,
  ],
  [
    'run-fails',
    /^GPU validation failed on fake GPU \(MONTECELL_FAKE_GPU=run-fails test hook\): the validation run failed: the fake device failed \(test hook\)$/,
  ],
])('a worker whose GPU fails validation (%s)', (fake, validationMessage) => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService({ chunkTrials: 1_000 }, { api: true, workers: false });
    await startWorker(svc.config, children, { MONTECELL_FAKE_GPU: fake });
  });
  afterAll(async () => {
    await svc.stop();
  });

  test('health and the worker registry show the GPU unusable with the GPUValidationError message', async () => {
    const health = await healthAfterValidation(svc);
    expect(health.engines).toMatchObject({ cpu: true, gpu: false });
    expect(health.engines.gpu_reason).toMatch(validationMessage);
    expect(health.engines.gpu_device).toMatchObject({ name: expect.stringContaining('fake GPU') });
    const redis = new Redis(svc.config.redisUrl);
    const [entry] = Object.values(await redis.hgetall(new Keys(svc.config.redisPrefix).workers()));
    redis.disconnect();
    const worker = JSON.parse(entry);
    expect(worker.engine).toBe('cpu');
    expect(worker.gpu.usable).toBe(false);
    expect(worker.gpu.reason).toMatch(validationMessage);
  });

  test('engine "gpu" ends failed with that message, never completed', async () => {
    await healthAfterValidation(svc);
    const result = await run(svc, 'gpu');
    expect(result.status).toBe('failed');
    expect(result.results).toBeUndefined();
    expect(result.error.code).toBe('gpu-unavailable');
    expect(result.error.message).toMatch(
      /^engine "gpu" was requested but the GPU is not usable: GPU validation failed/,
    );
    expect(
      result.error.message.replace(/^engine "gpu" was requested but the GPU is not usable: /, ''),
    ).toMatch(validationMessage);
  });

  test('engine "auto" completes on the CPU with a note saying why the GPU was skipped', async () => {
    const result = await run(svc, 'auto');
    expect(result.status).toBe('completed');
    expect(result.current_iteration).toBe(3_000);
    expect(result.results.engine_used).toBe('cpu');
    expect(result.results.engine_note).toMatch(
      /^ran on the CPU: the GPU is not usable: GPU validation failed on fake GPU/,
    );
  });
});
