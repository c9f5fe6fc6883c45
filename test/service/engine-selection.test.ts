import { BackendUnsupported } from '../../server/engine/compile/backend-unsupported';
import {
  afterGpuFailure,
  selectEngine,
  summarizeEngines,
} from '../../server/engine/runtime/engine-selection';
import type { WorkerInfo } from '../../server/workers/simulation-workers';
import { gpuUnavailableReason } from '../../server/workers/worker-registry';

const usable = { usable: true } as const;
const invalid = { usable: false, reason: 'GPU validation failed on X: results differ' } as const;

describe('engine selection', () => {
  it('"cpu" always runs on the CPU, without a note', () => {
    expect(selectEngine('cpu', usable, undefined)).toEqual({ engine: 'cpu' });
    expect(selectEngine('cpu', invalid, undefined)).toEqual({ engine: 'cpu' });
  });

  it('"gpu" runs on a usable GPU, else fails with the GPU’s reason', () => {
    expect(selectEngine('gpu', usable, undefined)).toEqual({ engine: 'cuda' });
    expect(selectEngine('gpu', invalid, undefined)).toEqual({
      fail: 'engine "gpu" was requested but the GPU is not usable: GPU validation failed on X: results differ',
    });
    expect(selectEngine('gpu', usable, new BackendUnsupported('cuda', 'Latin hypercube sampling'))).toEqual({
      fail: 'engine "gpu" was requested but the CUDA backend does not support Latin hypercube sampling',
    });
  });

  it('"auto" uses a usable GPU, else the CPU with a note saying why', () => {
    const requested = 'auto';
    expect(selectEngine(requested, usable, undefined)).toEqual({ engine: 'cuda' });
    expect(selectEngine(requested, invalid, undefined)).toEqual({
      engine: 'cpu',
      note: 'ran on the CPU: the GPU is not usable: GPU validation failed on X: results differ',
    });
    expect(selectEngine(requested, usable, new BackendUnsupported('cuda', 'OFFSET', 'Model!B7'))).toEqual({
      engine: 'cpu',
      note: 'ran on the CPU: the CUDA backend does not support OFFSET (Model!B7)',
    });
  });

  it('refuses an engine it does not know', () => {
    expect(selectEngine('tpu', usable, undefined)).toEqual({
      fail: 'unknown engine "tpu" (expected auto, cpu or gpu)',
    });
  });

  it('after a failed GPU run: "gpu" fails with why, "auto" runs on the CPU saying why', () => {
    expect(afterGpuFailure('gpu', 'the GPU run failed: boom')).toEqual({ fail: 'the GPU run failed: boom' });
    expect(afterGpuFailure('auto', 'the GPU run failed: boom')).toEqual({
      engine: 'cpu',
      note: 'ran on the CPU: the GPU run failed: boom',
    });
  });

  it('summarizes the chunks: one engine, or both, with the distinct notes', () => {
    expect(summarizeEngines([{ engine: 'cuda' }, { engine: 'cuda' }])).toEqual({ engine_used: 'cuda' });
    expect(summarizeEngines([{ engine: 'cpu' }])).toEqual({ engine_used: 'cpu' });
    expect(
      summarizeEngines([
        { engine: 'cuda' },
        { engine: 'cpu', note: 'ran on the CPU: a' },
        { engine: 'cpu', note: 'ran on the CPU: a' },
        { engine: 'cpu', note: 'ran on the CPU: b' },
      ]),
    ).toEqual({ engine_used: 'cuda+cpu', engine_note: 'ran on the CPU: a; ran on the CPU: b' });
  });
});

describe('gpuUnavailableReason (routing "gpu" runs)', () => {
  const worker = (gpu: { usable: boolean; reason?: string }) =>
    ({ gpu, last_heartbeat: new Date().toISOString() }) as unknown as WorkerInfo;

  it('is empty when any live worker has a validated GPU', () => {
    expect(
      gpuUnavailableReason([worker({ usable: false, reason: 'no GPU' }), worker({ usable: true })]),
    ).toBe('');
  });

  it('gives the workers’ reasons, each once, or says no worker runs', () => {
    expect(
      gpuUnavailableReason([
        worker({ usable: false, reason: 'no GPU detected' }),
        worker({ usable: false, reason: 'no GPU detected' }),
        worker({ usable: false, reason: 'GPU validation failed on X' }),
      ]),
    ).toBe('no GPU detected; GPU validation failed on X');
    expect(gpuUnavailableReason([])).toBe('no worker is running');
  });
});
