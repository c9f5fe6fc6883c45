/**
 * The name @RISK gives an input or an output that has no RiskName or RiskOutput name: the nearest text to
 * the left in its row (the row label), else the nearest text above in its column (the column header).
 */
import { cellKey, keyCol, keyRow } from '../graph/addresses';
import type { CellId } from '../graph/model-graph';
import type { EngineSheet, EngineWorkbook } from '../parse/parse-model';

type Direction = 'left' | 'up';

export class DefaultNames {
  /**
   * Per direction, the nearest text at or before a cell that a walk went past: a row or a column of
   * inputs is walked once, not once per input. Kept for cells that exist only, so a walk over a million
   * empty rows stores nothing.
   */
  private readonly found: Record<Direction, Map<number, string | undefined>> = {
    left: new Map(),
    up: new Map(),
  };

  constructor(private readonly book: EngineWorkbook) {}

  of(cell: CellId): string | undefined {
    const sheet = this.book.sheets[cell.sheet];
    return this.nearestText(sheet, cell.key, 'left') ?? this.nearestText(sheet, cell.key, 'up');
  }

  /** The nearest text before the cell (not the cell itself) going left along its row or up its column. */
  private nearestText(sheet: EngineSheet, from: number, direction: Direction): string | undefined {
    const found = this.found[direction];
    const walked: number[] = [];
    let text: string | undefined;
    for (let key = before(from, direction); key !== undefined; key = before(key, direction)) {
      if (!sheet.cells.has(key)) continue;
      // Cell keys stay below 2^35, so the sheet's index above them keeps every sheet's cells apart.
      const id = sheet.index * 2 ** 35 + key;
      if (found.has(id)) {
        text = found.get(id);
        break;
      }
      walked.push(id);
      text = textAt(sheet, key);
      if (text !== undefined) break;
    }
    // The text found is also the nearest at or before every cell walked on the way to it.
    for (const id of walked) found.set(id, text);
    return text;
  }
}

/** The cell to the left of or above `key`, or undefined at the sheet's edge. */
function before(key: number, direction: Direction): number | undefined {
  const row = keyRow(key);
  const col = keyCol(key);
  if (direction === 'left') return col > 1 ? cellKey(row, col - 1) : undefined;
  return row > 1 ? cellKey(row - 1, col) : undefined;
}

function textAt(sheet: EngineSheet, key: number): string | undefined {
  const value = sheet.cells.get(key)?.value;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
