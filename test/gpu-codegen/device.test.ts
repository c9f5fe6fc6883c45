import {
  type BackendResult,
  detectGpu,
  FakeGpuRunner,
  GPUValidationError,
  parseNvidiaSmi,
  validateDevice,
} from '../../server/engine/backends/cuda/device';

const reference: BackendResult = {
  values: [Float64Array.from([1.5, 2.25, Number.NaN])],
  outcomes: [Uint8Array.from([0, 0, 2])],
};

describe('GPU device validation', () => {
  it('parses nvidia-smi lines', () => {
    expect(parseNvidiaSmi('NVIDIA H200, 143771 MiB, 9.0, 570.86.15\n')).toEqual([
      {
        name: 'NVIDIA H200',
        memoryTotal: '143771 MiB',
        computeCapability: '9.0',
        driverVersion: '570.86.15',
      },
    ]);
  });

  it('reports no GPU when nvidia-smi is missing', async () => {
    const detection = await detectGpu(2000, 'montecell-no-such-nvidia-smi');
    expect(detection).toEqual({
      available: false,
      reason: 'montecell-no-such-nvidia-smi not found (no NVIDIA driver on this machine)',
    });
  });

  it('accepts a runner that agrees with the CPU backend', async () => {
    await expect(validateDevice(new FakeGpuRunner(reference, 0), reference)).resolves.toBeUndefined();
  });

  it('fails with the numbers when the GPU returns wrong values', async () => {
    const device = { name: 'Fake GPU', memoryTotal: '1 MiB', computeCapability: '9.0', driverVersion: '0' };
    const failure = validateDevice(new FakeGpuRunner(reference, 0.5), reference, { device });
    await expect(failure).rejects.toBeInstanceOf(GPUValidationError);
    await expect(failure).rejects.toThrow(
      'GPU validation failed on Fake GPU: results differ from the CPU backend beyond 1e-9: output 0 trial 0: GPU 2 (outcome 0) vs CPU 1.5 (outcome 0); output 0 trial 1: GPU 2.75 (outcome 0) vs CPU 2.25 (outcome 0)',
    );
    const error = (await failure.catch((e: unknown) => e)) as GPUValidationError;
    expect(error.mismatches).toHaveLength(2);
  });

  it('fails loudly when the validation run itself fails', async () => {
    await expect(validateDevice(new FakeGpuRunner(reference, 0, 'launch failed'), reference)).rejects.toThrow(
      'GPU validation failed: the validation run failed: launch failed',
    );
  });
});
