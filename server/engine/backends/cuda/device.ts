/**
 * GPU detection and validation. A GPU is trusted only after a small validation model run on it agrees
 * with the CPU backend; any mismatch or error raises a GPUValidationError carrying the numbers, so a
 * simulation that asked for the GPU fails loudly instead of completing with wrong or missing trials.
 */
import { execFile } from 'node:child_process';

export interface GpuInfo {
  name: string;
  memoryTotal: string;
  computeCapability: string;
  driverVersion: string;
}

export type GpuDetection = { available: true; devices: GpuInfo[] } | { available: false; reason: string };

const NVIDIA_SMI_ARGS = ['--query-gpu=name,memory.total,compute_cap,driver_version', '--format=csv,noheader'];

/** Parses nvidia-smi's CSV lines ("NVIDIA H200, 143771 MiB, 9.0, 570.86.15"). */
export function parseNvidiaSmi(text: string): GpuInfo[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => {
      const [name = '', memoryTotal = '', computeCapability = '', driverVersion = ''] = line
        .split(',')
        .map((field) => field.trim());
      return { name, memoryTotal, computeCapability, driverVersion };
    });
}

/** Asks nvidia-smi for the devices; no binary, no device, a timeout or an error all mean unavailable. */
export function detectGpu(timeoutMs = 5000, command = 'nvidia-smi'): Promise<GpuDetection> {
  return new Promise((resolve) => {
    execFile(command, NVIDIA_SMI_ARGS, { timeout: timeoutMs }, (error, stdout) => {
      if (error) {
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
        const reason = missing
          ? `${command} not found (no NVIDIA driver on this machine)`
          : `${command} failed: ${error.message}`;
        resolve({ available: false, reason });
        return;
      }
      const devices = parseNvidiaSmi(String(stdout));
      resolve(
        devices.length > 0 ? { available: true, devices } : { available: false, reason: 'no GPU listed' },
      );
    });
  });
}

/** One output's per-trial results, as both backends produce them. */
export interface BackendResult {
  values: Float64Array[];
  outcomes: Uint8Array[];
}

/** Runs the validation model's trials [0, iterations) on the GPU under `seed`. */
export interface GpuRunner {
  run(seed: number, iterations: number): Promise<BackendResult>;
}

export interface Mismatch {
  output: number;
  trial: number;
  gpu: number;
  cpu: number;
  gpuOutcome: number;
  cpuOutcome: number;
}

/**
 * The GPU could not deliver a run (a failed build, a CUDA error, a crash, numbers that disagree with the
 * CPU backend): the message says what happened; the CLI prints it on one line and exits with status 1.
 */
export class GpuFailure extends Error {
  override name = 'GpuFailure';
}

export class GPUValidationError extends GpuFailure {
  constructor(
    message: string,
    readonly mismatches: Mismatch[],
    readonly device?: GpuInfo,
  ) {
    super(message);
    this.name = 'GPUValidationError';
  }
}

export interface ValidationOptions {
  seed?: number;
  iterations?: number;
  /** Relative tolerance (with an absolute floor of the same size): the libm functions differ by ulps. */
  tolerance?: number;
  device?: GpuInfo;
}

/** First mismatches between the GPU's and the CPU's results, at most `limit`. */
export function compareResults(
  gpu: BackendResult,
  cpu: BackendResult,
  tolerance: number,
  limit = 5,
): Mismatch[] {
  const found: Mismatch[] = [];
  if (gpu.values.length !== cpu.values.length) {
    found.push({
      output: -1,
      trial: -1,
      gpu: gpu.values.length,
      cpu: cpu.values.length,
      gpuOutcome: 0,
      cpuOutcome: 0,
    });
    return found;
  }
  cpu.values.forEach((cpuValues, output) => {
    const gpuValues = gpu.values[output];
    const trials = Math.max(cpuValues.length, gpuValues?.length ?? 0);
    for (let trial = 0; trial < trials && found.length < limit; trial++) {
      const g = gpuValues?.[trial] ?? Number.NaN;
      const c = cpuValues[trial] ?? Number.NaN;
      const go = gpu.outcomes[output]?.[trial] ?? 255;
      const co = cpu.outcomes[output]?.[trial] ?? 255;
      const sameNumber = co === 0 && go === 0 && Math.abs(g - c) <= tolerance * Math.max(1, Math.abs(c));
      if (!(sameNumber || (co !== 0 && go === co)))
        found.push({ output, trial, gpu: g, cpu: c, gpuOutcome: go, cpuOutcome: co });
    }
  });
  return found;
}

/**
 * Runs the validation model on the GPU and compares it trial by trial with the CPU backend's
 * results for the same seed; throws GPUValidationError with the numbers on any mismatch or failure.
 */
export async function validateDevice(
  runner: GpuRunner,
  cpuReference: BackendResult,
  options: ValidationOptions = {},
): Promise<void> {
  const seed = options.seed ?? 1;
  const iterations = options.iterations ?? cpuReference.values[0]?.length ?? 0;
  const tolerance = options.tolerance ?? 1e-9;
  const on = options.device ? ` on ${options.device.name}` : '';
  let gpu: BackendResult;
  try {
    gpu = await runner.run(seed, iterations);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new GPUValidationError(
      `GPU validation failed${on}: the validation run failed: ${reason}`,
      [],
      options.device,
    );
  }
  const mismatches = compareResults(gpu, cpuReference, tolerance);
  if (mismatches.length === 0) return;
  const detail = mismatches
    .map(
      (m) =>
        `output ${m.output} trial ${m.trial}: GPU ${m.gpu} (outcome ${m.gpuOutcome}) vs CPU ${m.cpu} (outcome ${m.cpuOutcome})`,
    )
    .join('; ');
  throw new GPUValidationError(
    `GPU validation failed${on}: results differ from the CPU backend beyond ${tolerance}: ${detail}`,
    mismatches,
    options.device,
  );
}

/** A runner for tests: returns the reference results perturbed by `error` (or throws `failure`). */
export class FakeGpuRunner implements GpuRunner {
  constructor(
    private readonly reference: BackendResult,
    private readonly error = 0.5,
    private readonly failure?: string,
  ) {}

  async run(_seed: number, iterations: number): Promise<BackendResult> {
    if (this.failure) throw new Error(this.failure);
    return {
      values: this.reference.values.map((v) => v.slice(0, iterations).map((x) => x + this.error)),
      outcomes: this.reference.outcomes.map((o) => o.slice(0, iterations)),
    };
  }
}
