import { FormulaParseError, parseFormula, printFormula } from '../../shared/formula';
import { type FormulaCell, listCorpusWorkbooks, readFormulaCells } from '../helpers/corpus';

/** Every formula cell of every corpus workbook parses, and its AST survives print → parse. */
describe('Excel corpus formulas', () => {
  let cells: (FormulaCell & { workbook: string })[] = [];
  let workbookCount = 0;

  beforeAll(() => {
    const workbooks = listCorpusWorkbooks();
    workbookCount = workbooks.length;
    cells = workbooks.flatMap((workbook) =>
      readFormulaCells(workbook).map((cell) => ({ ...cell, workbook })),
    );
    console.log(`Corpus: ${workbookCount} workbooks, ${cells.length} formula cells`);
  });

  it('finds the workbooks and their formulas', () => {
    expect(workbookCount).toBe(202);
    expect(cells.length).toBe(68_379);
  });

  it('parses every formula cell and round-trips it through the printer', () => {
    const failures: string[] = [];
    for (const cell of cells) {
      const where = `${cell.workbook} ${cell.sheet}!${cell.address}: ${cell.formula}`;
      try {
        const ast = parseFormula(cell.formula);
        const reparsed = parseFormula(printFormula(ast));
        if (JSON.stringify(reparsed) !== JSON.stringify(ast)) failures.push(`round trip differs: ${where}`);
      } catch (error) {
        const detail = error instanceof FormulaParseError ? `${error.code} ${error.message}` : String(error);
        failures.push(`${detail}: ${where}`);
      }
    }
    expect(failures.slice(0, 20)).toEqual([]);
  });
});
