/**
 * Loads TensorFlow.js for the optional float32 backend. On a host it is used only when the operator
 * asks for it (MONTECELL_TFJS=1) and a native build is installed: @tensorflow/tfjs-node-gpu, else
 * @tensorflow/tfjs-node. Neither is a dependency of Montecell. The pure-JavaScript @tensorflow/tfjs is
 * never picked up from the environment (it is far slower than the CPU backend); tests and the error
 * measurement ask for it explicitly.
 */
import type * as TfModule from '@tensorflow/tfjs';

export type Tf = typeof TfModule;

/** The environment variable that turns the backend on. */
export const TFJS_ENV = 'MONTECELL_TFJS';

/** Native builds, in order of preference. */
export const NATIVE_TFJS_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

export const PURE_JS_TFJS_PACKAGE = '@tensorflow/tfjs';

export interface LoadedTfjs {
  tf: Tf;
  /** The package it came from. */
  packageName: string;
}

export interface LoadTfjsOptions {
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Also accept the pure-JavaScript package (tests, CI, the error measurement). */
  allowPureJs?: boolean;
  /** Resolves a package; defaults to Node's require (tests pass a fake to cover the order). */
  load?: (packageName: string) => unknown;
}

/**
 * The tfjs module to run on, or undefined when the backend is off (the variable unset) or no build is
 * installed. With `allowPureJs` the variable is not needed and @tensorflow/tfjs is the last resort.
 */
export function loadTfjs(options: LoadTfjsOptions = {}): LoadedTfjs | undefined {
  const env = options.env ?? process.env;
  const enabled = env[TFJS_ENV] === '1' || env[TFJS_ENV] === 'true';
  if (!enabled && !options.allowPureJs) return undefined;
  const load = options.load ?? ((name: string) => require(name));
  const candidates: string[] = [...(enabled ? NATIVE_TFJS_PACKAGES : []), PURE_JS_TFJS_PACKAGE];
  const choices = options.allowPureJs ? candidates : candidates.slice(0, -1);
  for (const packageName of choices) {
    const tf = tryLoad(load, packageName);
    if (tf) return { tf, packageName };
  }
  return undefined;
}

function tryLoad(load: (packageName: string) => unknown, packageName: string): Tf | undefined {
  try {
    const module = load(packageName) as Partial<Tf> | undefined;
    return module && typeof module.tidy === 'function' ? (module as Tf) : undefined;
  } catch (e) {
    // Only "not installed" means absent; a build that is installed but broken must be reported.
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && String(e).includes(packageName))
      return undefined;
    throw e;
  }
}
