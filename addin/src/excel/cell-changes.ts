/// <reference types="office-js" />
/**
 * Edits the pane makes and the edits it follows: writing an input's formula, and the worksheets'
 * change events (ExcelApi 1.9 WorksheetCollection.onChanged) that live mode re-runs on.
 */
import { splitAddress } from './addresses';

/** Rewrites one sheet-qualified cell's formula ("Model!B4", "=RiskNormal(800,70)"). */
export async function writeFormula(
  context: Excel.RequestContext,
  cell: string,
  formula: string,
): Promise<void> {
  const { sheet, start } = splitAddress(cell);
  context.workbook.worksheets.getItem(sheet).getRange(start).formulas = [[formula]];
  await context.sync();
}

/** One changed area, as the event names it: the worksheet's id and the local address ("B4", "B4:C9"). */
export interface WorksheetChange {
  worksheetId: string;
  address: string;
  changeType: string;
  source: string;
  /** "ThisLocalAddin" when this pane made the change (ExcelApi 1.14; absent before). */
  triggerSource?: string;
}

/**
 * Calls `onChange` for every change of any worksheet's cells until the returned function is called.
 * The handler is registered in its own batch; removing it needs that batch's context again.
 */
export async function watchWorksheetChanges(
  onChange: (change: WorksheetChange) => void,
): Promise<() => Promise<void>> {
  let registration: OfficeExtension.EventHandlerResult<Excel.WorksheetChangedEventArgs> | undefined;
  await Excel.run(async (context) => {
    registration = context.workbook.worksheets.onChanged.add(async (event) => {
      onChange({
        worksheetId: event.worksheetId,
        address: event.address,
        changeType: event.changeType,
        source: event.source,
        ...(event.triggerSource ? { triggerSource: event.triggerSource } : {}),
      });
    });
    await context.sync();
  });
  return async () => {
    const added = registration;
    registration = undefined;
    if (!added) return;
    await Excel.run(added.context, async (context) => {
      added.remove();
      await context.sync();
    });
  };
}
