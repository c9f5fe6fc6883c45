/**
 * `montecell`: simulate or recalculate an .xlsx workbook from the command line. Bad input prints one line
 * to stderr and exits with code 2; only bugs produce stack traces.
 */
import { GpuFailure } from '../engine/backends/cuda/device';
import { XlsxError } from '../xlsx/package-reader';
import { UsageError } from './errors';
import { runRecalc } from './recalc';

const USAGE = `usage:
  montecell simulate <book.xlsx> [--output 'Sheet1!B10' ...] [--iterations 10000] [--seed 1]
                     [--sampling mc|lhs] [--threads N] [--until-precision 0.01] [--engine cpu|gpu|auto|tfjs] [--json]
                     [--simulations N] [--write copy.xlsx]
  montecell recalc <book.xlsx> [--json]`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'recalc':
      return runRecalc(rest);
    case 'simulate': {
      const { runSimulate } = await import('./simulate');
      return runSimulate(rest);
    }
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    default:
      throw new UsageError(command ? `unknown command "${command}"\n${USAGE}` : USAGE);
  }
}

function isUserError(error: unknown): error is Error {
  if (error instanceof UsageError || error instanceof XlsxError) return true;
  // node:util parseArgs reports unknown or malformed options with these codes.
  const code = (error as { code?: string } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

// A reader that stops early (montecell recalc book.xlsx | head) is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (isUserError(error) || (error as { userFacing?: boolean } | null)?.userFacing) {
      process.stderr.write(`montecell: ${(error as Error).message}\n`);
      process.exitCode = 2;
      return;
    }
    // The GPU could not deliver (a failed build, a CUDA error, numbers that disagree with the CPU's).
    if (error instanceof GpuFailure) {
      process.stderr.write(`montecell: ${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    process.stderr.write(`montecell: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
