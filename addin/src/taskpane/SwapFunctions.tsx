/**
 * "Statistics in the workbook": swaps @RISK's functions for their MC.* twins, whose statistics (MC.MEAN,
 * MC.PERCENTILE, …) show the last run's values in Excel itself, and back for colleagues on @RISK. What will
 * change is shown, per function with its cells, and confirmed before anything is written.
 */
import {
  Body1,
  Button,
  Caption1,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Subtitle2,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { SwapDirection, SwapPlan } from '../../../shared/functions/twins';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  buttons: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  list: { margin: 0, paddingInlineStart: tokens.spacingHorizontalL, overflowWrap: 'anywhere' },
});

/** Cells named in the dialog per function; the rest are counted. */
const CELLS_SHOWN = 6;

const FAMILY: Record<SwapDirection, string> = { 'to-mc': 'MC.*', 'to-risk': '@RISK' };

function cellList(cells: string[]): string {
  const shown = cells.slice(0, CELLS_SHOWN).join(', ');
  return cells.length > CELLS_SHOWN ? `${shown} and ${cells.length - CELLS_SHOWN} more` : shown;
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

export function SwapFunctions(props: {
  plan: (direction: SwapDirection) => Promise<SwapPlan>;
  apply: (plan: SwapPlan) => Promise<number>;
}) {
  const styles = useStyles();
  const [busy, setBusy] = useState(false);
  const [pending, setPending] = useState<SwapPlan>();
  const [message, setMessage] = useState<{ text: string; intent: 'success' | 'info' | 'error' }>();

  const attempt = async (work: () => Promise<void>) => {
    setBusy(true);
    setMessage(undefined);
    try {
      await work();
    } catch (e) {
      setMessage({ intent: 'error', text: e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(false);
    }
  };

  const prepare = (direction: SwapDirection) =>
    attempt(async () => {
      const plan = await props.plan(direction);
      if (plan.changes.length > 0) return setPending(plan);
      const kept =
        plan.kept.length > 0 ? ` (${plural(plan.kept.length, 'cell')} kept: ${plan.kept[0].reason})` : '';
      setMessage({
        intent: 'info',
        text: `No cell to swap: the workbook has no ${direction === 'to-mc' ? '@RISK' : 'MC.*'} function with a twin${kept}.`,
      });
    });

  const confirm = (plan: SwapPlan) =>
    attempt(async () => {
      setPending(undefined);
      const count = await props.apply(plan);
      setMessage({
        intent: 'success',
        text: `Swapped ${plural(count, 'cell')} to ${FAMILY[plan.direction]} functions.`,
      });
    });

  return (
    <section className={styles.section} aria-label="Statistics in the workbook">
      <Subtitle2>Statistics in the workbook</Subtitle2>
      <Caption1>
        MC.MEAN, MC.PERCENTILE… show the last run’s values in their cells. Swap RiskMean(B22) for
        MC.MEAN(B22), and back for colleagues on @RISK.
      </Caption1>
      <div className={styles.buttons}>
        <Button onClick={() => void prepare('to-mc')} disabled={busy}>
          Swap to MC.*
        </Button>
        <Button onClick={() => void prepare('to-risk')} disabled={busy}>
          Swap back to Risk*
        </Button>
      </div>
      {message && (
        <MessageBar intent={message.intent}>
          <MessageBarBody>{message.text}</MessageBarBody>
        </MessageBar>
      )}
      <Dialog open={pending !== undefined} onOpenChange={(_, d) => !d.open && setPending(undefined)}>
        <DialogSurface>
          {pending && (
            <DialogBody>
              <DialogTitle>
                Swap {plural(pending.changes.length, 'cell')} to {FAMILY[pending.direction]} functions?
              </DialogTitle>
              <DialogContent>
                <ul className={styles.list} aria-label="Functions to swap">
                  {pending.byFunction.map((group) => (
                    <li key={`${group.from}→${group.to}`}>
                      <Body1>
                        {group.from} → {group.to}: {plural(group.cells.length, 'cell')} (
                        {cellList(group.cells)})
                      </Body1>
                    </li>
                  ))}
                </ul>
                {pending.kept.length > 0 && (
                  <Caption1>
                    {plural(pending.kept.length, 'cell')} kept as they are: {pending.kept[0].address} (
                    {pending.kept[0].reason}){pending.kept.length > 1 ? ', …' : '.'}
                  </Caption1>
                )}
              </DialogContent>
              <DialogActions>
                <Button appearance="secondary" onClick={() => setPending(undefined)}>
                  Cancel
                </Button>
                <Button appearance="primary" onClick={() => void confirm(pending)}>
                  Swap
                </Button>
              </DialogActions>
            </DialogBody>
          )}
        </DialogSurface>
      </Dialog>
    </section>
  );
}
