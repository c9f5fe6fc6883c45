/** Which engine computed a run, in the user's words; the service's reasons on demand. */
import { Caption1, InfoLabel } from '@fluentui/react-components';
import type { SimulationResults } from '../../../shared/model';

/** "Ran on the CPU" for "cpu", on the GPU for "cuda" or "tfjs", on both for "cuda+cpu". */
export function engineInWords(engineUsed: string): string {
  const parts = engineUsed.toLowerCase().split('+');
  const gpu = parts.some((p) => p === 'cuda' || p === 'tfjs' || p === 'gpu');
  const cpu = parts.includes('cpu');
  if (gpu && cpu) return 'Ran on the GPU and the CPU';
  return gpu ? 'Ran on the GPU' : 'Ran on the CPU';
}

export function EngineUsed({ results }: { results: Pick<SimulationResults, 'engine_used' | 'engine_note'> }) {
  const words = engineInWords(results.engine_used);
  if (!results.engine_note) return <Caption1 data-testid="engine-used">{words}</Caption1>;
  return (
    <InfoLabel
      size="small"
      data-testid="engine-used"
      info={results.engine_note}
      infoButton={{ 'aria-label': `Why: ${words}` }}
    >
      {words}
    </InfoLabel>
  );
}
