/**
 * A worker's GPU, decided once at start: detect the device (nvidia-smi), build and run the validation
 * model on it and compare every trial with the CPU backend. Any failure leaves the GPU unusable with the
 * reason (the GPUValidationError's message, with the numbers) and logs the device's stats, so a run that
 * asks for the GPU fails loudly instead of completing with wrong numbers.
 */
import type { ServiceConfig } from '../config';
import { nvccToolchain } from '../engine/backends/cuda/compiler';
import {
  type BackendResult,
  detectGpu,
  FakeGpuRunner,
  GPUValidationError,
  type GpuInfo,
  type GpuRunner,
  validateDevice,
} from '../engine/backends/cuda/device';
import { GpuEngine } from '../engine/backends/cuda/engine';
import {
  VALIDATION_SEED,
  VALIDATION_TARGETS,
  VALIDATION_TRIALS,
  validationModel,
  validationReference,
} from '../engine/backends/cuda/validation-model';
import { detectedAvailability, type GpuAvailability } from '../engine/runtime/engine-selection';
import { compile } from '../engine/simulate';

export type GpuStatus =
  | { usable: true; device: GpuInfo; engine: GpuEngine }
  | { usable: false; reason: string; device?: GpuInfo };

/** What the worker registry and /api/health show of a worker's GPU. */
export interface GpuReport {
  usable: boolean;
  reason?: string;
  device?: GpuInfo;
}

export function gpuReport(status: GpuStatus | undefined): GpuReport {
  if (!status) return { usable: false, reason: 'the GPU is being validated' };
  return status.usable
    ? { usable: true, device: status.device }
    : { usable: false, reason: status.reason, ...(status.device ? { device: status.device } : {}) };
}

export function availability(status: GpuStatus): GpuAvailability {
  return status.usable ? { usable: true } : { usable: false, reason: status.reason };
}

/** The device and the runner to validate: a real one, or the test hook's fake. */
type Candidate = { device: GpuInfo; runner: GpuRunner; engine?: GpuEngine } | { reason: string };

/**
 * TEST HOOK, read only here at worker start: MONTECELL_FAKE_GPU=wrong-results gives this worker a fake
 * device whose validation run returns numbers off by 0.5; MONTECELL_FAKE_GPU=run-fails, one whose
 * validation run fails. Either way validation must fail and the GPU be marked unusable; a fake device is
 * never used for a simulation.
 */
const FAKE_GPU_ENV = 'MONTECELL_FAKE_GPU';

function fakeCandidate(fake: string, reference: BackendResult): Candidate {
  const device: GpuInfo = {
    name: `fake GPU (${FAKE_GPU_ENV}=${fake} test hook)`,
    memoryTotal: '0 MiB',
    computeCapability: '0.0',
    driverVersion: 'none',
  };
  if (fake === 'wrong-results') return { device, runner: new FakeGpuRunner(reference, 0.5) };
  if (fake === 'run-fails')
    return { device, runner: new FakeGpuRunner(reference, 0, 'the fake device failed (test hook)') };
  return { reason: `${FAKE_GPU_ENV} must be "wrong-results" or "run-fails", not "${fake}"` };
}

function deviceCandidate(config: ServiceConfig, device: GpuInfo): Candidate {
  try {
    const engine = new GpuEngine({
      cacheDir: config.gpuCacheDir,
      toolchain: nvccToolchain(device.computeCapability, { timeoutMs: config.nvccTimeoutMs }),
    });
    const program = compile(validationModel(), { targets: VALIDATION_TARGETS }).program;
    return { device, runner: engine.runner(program), engine };
  } catch (error) {
    return { reason: `GPU ${device.name} cannot be used: ${(error as Error).message}` };
  }
}

export async function gpuStatusAtWorkerStart(
  config: ServiceConfig,
  log: (line: string) => void = (line) => console.error(line),
): Promise<GpuStatus> {
  const fake = process.env[FAKE_GPU_ENV];
  const detection = fake ? undefined : await detectGpu();
  if (detection && !detection.available) return detectedAvailability(detection) as GpuStatus;
  const reference = await validationReference();
  const found = detection
    ? deviceCandidate(config, detection.devices[0])
    : fakeCandidate(fake ?? '', reference);
  if ('reason' in found) return { usable: false, reason: found.reason };
  const { device, runner, engine } = found;
  try {
    await validateDevice(runner, reference, {
      seed: VALIDATION_SEED,
      iterations: VALIDATION_TRIALS,
      device,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    log(
      `montecell worker: GPU unusable. Device: ${device.name}, memory ${device.memoryTotal}, compute capability ${device.computeCapability}, driver ${device.driverVersion}`,
    );
    log(`montecell worker: ${reason}`);
    if (error instanceof GPUValidationError && error.mismatches.length > 0)
      log(`montecell worker: GPUValidationError mismatches: ${JSON.stringify(error.mismatches)}`);
    return { usable: false, reason, device };
  }
  if (!engine) return { usable: false, reason: 'a fake GPU is never used for simulations', device };
  log(`montecell worker: GPU ${device.name} validated (${VALIDATION_TRIALS} trials match the CPU backend)`);
  return { usable: true, device, engine };
}
