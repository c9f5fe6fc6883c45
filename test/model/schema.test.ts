import { LIMITS, SimulationRequest, WorkbookModel } from '../../shared/model';

const validBook = {
  version: 1,
  sheets: [{ name: 'Sheet1', cells: { A1: { value: 1 }, B1: { formula: '=A1*2' } } }],
};

describe('WorkbookModel schema', () => {
  it('accepts a workbook of formulas and values and defaults names to []', () => {
    const parsed = WorkbookModel.parse(validBook);
    expect(parsed.names).toEqual([]);
  });

  it.each([
    ['a sheet name with a colon', { ...validBook, sheets: [{ name: 'a:b', cells: {} }] }, /must not contain/],
    [
      'a 32-character sheet name',
      { ...validBook, sheets: [{ name: 'x'.repeat(32), cells: {} }] },
      /at most 31/,
    ],
    [
      'a cell outside the grid',
      { ...validBook, sheets: [{ name: 'S', cells: { XFE1: { value: 1 } } }] },
      /outside/,
    ],
    [
      'a formula over 8,192 characters',
      { ...validBook, sheets: [{ name: 'S', cells: { A1: { formula: `=${'1+'.repeat(4100)}1` } } }] },
      /at most 8192/,
    ],
    [
      'duplicate sheets',
      {
        ...validBook,
        sheets: [
          { name: 'S', cells: {} },
          { name: 's', cells: {} },
        ],
      },
      /duplicate/,
    ],
    [
      'an array_ref outside the grid',
      { ...validBook, sheets: [{ name: 'S', cells: { A1: { formula: '=1', array_ref: 'A1:XFE1048577' } } }] },
      /outside/,
    ],
    [
      'an array_ref that is not a range',
      { ...validBook, sheets: [{ name: 'S', cells: { A1: { formula: '=1', array_ref: 'A1:B2;C3' } } }] },
      /must be a range/,
    ],
  ])('rejects %s with a clear message', (_what, input, message) => {
    const result = WorkbookModel.safeParse(input);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toMatch(message);
  });

  it('accepts an array_ref within the grid', () => {
    const cells = {
      A1: { formula: '=1', array_ref: 'A1:XFD1048576' },
      B1: { formula: '=1', array_ref: 'B1' },
    };
    expect(WorkbookModel.safeParse({ version: 1, sheets: [{ name: 'S', cells }] }).success).toBe(true);
  });

  it('rejects more cells than the limit, with the counts', () => {
    const cells: Record<string, { value: number }> = {};
    for (let i = 1; i <= LIMITS.maxCells + 1; i++) cells[`A${i}`] = { value: i };
    const result = WorkbookModel.safeParse({ version: 1, sheets: [{ name: 'S', cells }] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toContain('1,000,001');
  });
});

describe('SimulationRequest schema', () => {
  const base = { model: validBook, target_cells: ['B1'], iterations: 1000 };
  it('fills defaults', () => {
    const r = SimulationRequest.parse(base);
    expect(r.sampling).toBe('monte_carlo');
    expect(r.engine).toBe('auto');
  });
  it.each([0, -5, 1e12, 'abc', 1.5])('rejects iterations %p', (iterations) => {
    expect(SimulationRequest.safeParse({ ...base, iterations }).success).toBe(false);
  });
  it('rejects 10,000 targets and a request with neither file nor model', () => {
    expect(SimulationRequest.safeParse({ ...base, target_cells: Array(10_000).fill('A1') }).success).toBe(
      false,
    );
    expect(SimulationRequest.safeParse({ target_cells: ['A1'], iterations: 10 }).success).toBe(false);
  });
});
