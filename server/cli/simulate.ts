import { UsageError } from './errors';

export function runSimulate(_argv: string[]): number {
  throw new UsageError('simulate is not available yet');
}
