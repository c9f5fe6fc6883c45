/// <reference types="office-js" />
/**
 * "Write report": the sheet "Montecell Report" (replacing an older one) with the statistics table of
 * shared/model/report.ts and, per output, three native Excel charts — the histogram (columns), the
 * cumulative distribution (XY line) and the tornado of input sensitivities (bars) — over data written
 * beside the table, laid out to print landscape, one page wide.
 */
import {
  type InputSensitivity,
  type OutputResults,
  REPORT_COLUMNS,
  REPORT_LAYOUT,
  REPORT_SHEET_NAME,
  reportTable,
  type SimulationResults,
} from '../../../shared/model';
import { inputName } from '../service/results';
import { formatStatistic } from '../state/format';
import { cellAt } from './addresses';

export interface ReportToWrite {
  results: SimulationResults;
  finishedAt?: Date;
}

/** Excel column widths are in points; a character of the default font is about 7. */
const POINTS_PER_CHARACTER = 7;
/** Tornado bars shown per output: the most influential inputs. */
const TORNADO_INPUTS = 10;
/** Rows each output's row of charts takes below the table. */
const CHART_ROWS = 16;
/** Where the charts' data starts: right of the table, one empty column between. */
const DATA_COLUMN = REPORT_COLUMNS.length + 1;
/** Columns of one output's chart data: bin, trials, x, P(X ≤ x), input, rank correlation, gap. */
const DATA_COLUMNS_PER_OUTPUT = 7;

type Grid = (string | number)[][];

/** Writes the report; returns the sheet's name. */
export async function writeReportSheet(
  context: Excel.RequestContext,
  report: ReportToWrite,
): Promise<string> {
  const worksheets = context.workbook.worksheets;
  const older = worksheets.getItemOrNullObject(REPORT_SHEET_NAME);
  older.load('isNullObject');
  await context.sync();
  if (!older.isNullObject) older.delete();
  const sheet = worksheets.add(REPORT_SHEET_NAME);

  const table = reportTable(report.results, report.finishedAt);
  const { titleRow, runRow, headerRow, firstOutputRow } = REPORT_LAYOUT;
  const columns = REPORT_COLUMNS.length;
  write(sheet, titleRow, 0, [[table.title]]);
  write(sheet, runRow, 0, [[table.run]]);
  write(sheet, headerRow, 0, [table.header]);
  if (table.rows.length > 0)
    write(
      sheet,
      firstOutputRow,
      0,
      table.rows.map((row) => row.map((cell) => cell ?? '')),
    );
  const title = sheet.getRangeByIndexes(titleRow, 0, 1, 1).format.font;
  title.bold = true;
  title.size = 14;
  sheet.getRangeByIndexes(headerRow, 0, 1, columns).format.font.bold = true;
  REPORT_COLUMNS.forEach((column, c) => {
    sheet.getRangeByIndexes(0, c, 1, 1).format.columnWidth = column.width * POINTS_PER_CHARACTER;
    if (table.rows.length > 0)
      sheet.getRangeByIndexes(firstOutputRow, c, table.rows.length, 1).numberFormat = table.rows.map(() => [
        column.numberFormat,
      ]);
  });

  const chartsTop = firstOutputRow + table.rows.length + 2;
  table.outputs.forEach((key, i) => {
    const output = report.results.outputs[key];
    const name = output.name ?? key;
    const dataColumn = DATA_COLUMN + i * DATA_COLUMNS_PER_OUTPUT;
    const top = chartsTop + i * CHART_ROWS;
    const histogram = write(sheet, headerRow, dataColumn, [
      [`${name}: bin`, 'Trials'],
      ...histogramRows(output),
    ]);
    const cdf = write(sheet, headerRow, dataColumn + 2, [['x', 'P(X ≤ x)'], ...cdfRows(output)]);
    const tornado = write(sheet, headerRow, dataColumn + 4, [
      ['Input', 'Rank correlation'],
      ...tornadoRows(report.results.sensitivity[key] ?? []),
    ]);
    addChart(sheet, Excel.ChartType.columnClustered, histogram, `${name}: histogram`, top, 0, 3);
    addChart(
      sheet,
      Excel.ChartType.xyscatterLinesNoMarkers,
      cdf,
      `${name}: cumulative probability`,
      top,
      3,
      7,
    );
    addChart(
      sheet,
      Excel.ChartType.barClustered,
      tornado,
      `${name}: sensitivity (rank correlation)`,
      top,
      7,
      10,
    );
  });

  if (Office.context.requirements.isSetSupported('ExcelApi', '1.9')) {
    sheet.pageLayout.orientation = Excel.PageOrientation.landscape;
    sheet.pageLayout.zoom = { horizontalFitToPages: 1 };
  }
  sheet.activate();
  await context.sync();
  return REPORT_SHEET_NAME;
}

/** Writes a block of cells at (row, column); returns its range. */
function write(sheet: Excel.Worksheet, row: number, column: number, grid: Grid): Excel.Range {
  const range = sheet.getRangeByIndexes(row, column, grid.length, grid[0].length);
  range.values = grid;
  return range;
}

function addChart(
  sheet: Excel.Worksheet,
  type: Excel.ChartType,
  source: Excel.Range,
  title: string,
  row: number,
  fromColumn: number,
  toColumn: number,
): void {
  const chart = sheet.charts.add(type, source, Excel.ChartSeriesBy.columns);
  chart.title.text = title;
  chart.legend.visible = false;
  chart.setPosition(cellAt(row, fromColumn), cellAt(row + CHART_ROWS - 2, toColumn - 1));
}

/** Each bin as a text label (Excel would take a numeric first column for a series) and its trials. */
function histogramRows(output: OutputResults): Grid {
  const { edges, counts } = output.histogram;
  return counts.flatMap((count, i) => {
    const lo = edges[i];
    const hi = edges[i + 1];
    if (lo === null || hi === null || lo === undefined || hi === undefined) return [];
    return [[formatStatistic((lo + hi) / 2), count]];
  });
}

function cdfRows(output: OutputResults): Grid {
  return output.cdf.flatMap((point) => (point.x === null ? [] : [[point.x, point.p]]));
}

/** The most influential inputs, the strongest at the top of the bar chart (Excel draws bars bottom up). */
function tornadoRows(sensitivity: InputSensitivity[]): Grid {
  return sensitivity
    .slice(0, TORNADO_INPUTS)
    .map((s) => [inputName(s), s.rank_correlation])
    .reverse();
}
