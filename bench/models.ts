/**
 * The three benchmark workbooks of issue 3, generated as `WorkbookModel`s: (a) a ten-year project DCF,
 * (b) a portfolio of 2,000 projects, (c) a lookup-heavy pricing model. Each model also lists its
 * uncertain inputs as distribution specs, so that the recalculation baseline (IronCalc) and the
 * hand-written JavaScript can sample them without parsing formulas.
 *
 * `npx tsx bench/write-models.ts` writes them to bench/models/*.xlsx (git-ignored: `npm run bench`
 * regenerates them).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeWorkbook } from '../server/xlsx/write-workbook';
import { specFromArguments } from '../shared/distributions/catalogue';
import { numberToColumn } from '../shared/formula/references';
import type { CellModel, DistributionSpec, WorkbookModel } from '../shared/model';

/** A cell holding a distribution call with constant parameters. */
export interface UncertainInput {
  sheet: string;
  /** A1 address on `sheet`. */
  cell: string;
  /** The @RISK function, e.g. "RiskNormal". */
  fn: string;
  params: number[];
  spec: DistributionSpec;
}

export interface BenchModel {
  name: string;
  description: string;
  workbook: WorkbookModel;
  inputs: UncertainInput[];
  /** "Sheet!A1" of the cells marked with RiskOutput. */
  outputs: string[];
}

type Cells = Record<string, CellModel>;

function uncertain(sheet: string, cell: string, fn: string, params: number[]): UncertainInput {
  const spec = specFromArguments(fn, params);
  if ('error' in spec) throw new Error(`${sheet}!${cell}: ${spec.error}`);
  return { sheet, cell, fn, params, spec };
}

function distributionFormula(input: UncertainInput): string {
  return `=${input.fn}(${input.params.join(',')})`;
}

// ---------------------------------------------------------------------------------------------
// (a) Ten-year project DCF
// ---------------------------------------------------------------------------------------------

/** The DCF's uncertain drivers, in Inputs!B2:B26 order; the hand-written baseline reads them by name. */
export const DCF_DRIVERS = [
  ['marketSize', 'Market size, year 1 (k units)', 'RiskNormal', [5000, 500]],
  ['marketGrowth', 'Market growth', 'RiskPert', [0.02, 0.05, 0.1]],
  ['shareStart', 'Market share, year 1', 'RiskTriang', [0.05, 0.08, 0.12]],
  ['shareGain', 'Share gain per year', 'RiskUniform', [0, 0.01]],
  ['priceA', 'Product A price, year 1', 'RiskNormal', [120, 10]],
  ['priceErosion', 'Price erosion per year', 'RiskPert', [0, 0.01, 0.03]],
  ['volumeB', 'Product B volume, year 1 (k units)', 'RiskLognorm', [200, 40]],
  ['growthB', 'Product B growth', 'RiskTriang', [0, 0.06, 0.15]],
  ['priceB', 'Product B price, year 1', 'RiskNormal', [80, 8]],
  ['attachRate', 'Service attach rate', 'RiskUniform', [0.1, 0.2]],
  ['servicePrice', 'Service price', 'RiskTriang', [20, 25, 35]],
  ['materialCost', 'Material cost per unit', 'RiskNormal', [45, 4]],
  ['materialInflation', 'Material inflation', 'RiskPert', [0, 0.015, 0.04]],
  ['laborCost', 'Labour cost per unit', 'RiskTriang', [12, 15, 20]],
  ['wageInflation', 'Wage inflation', 'RiskUniform', [0.02, 0.04]],
  ['fixedOverhead', 'Fixed overhead, year 1', 'RiskLognorm', [3000, 400]],
  ['sgaRate', 'SG&A, share of revenue', 'RiskPert', [0.08, 0.1, 0.14]],
  ['rnd', 'R&D, year 1', 'RiskNormal', [1500, 200]],
  ['initialCapex', 'Initial capex', 'RiskTriang', [45000, 55000, 75000]],
  ['maintenanceRate', 'Maintenance capex, share of revenue', 'RiskUniform', [0.02, 0.04]],
  ['receivableDays', 'Receivable days', 'RiskNormal', [45, 5]],
  ['inventoryDays', 'Inventory days', 'RiskTriang', [30, 40, 60]],
  ['payableDays', 'Payable days', 'RiskUniform', [25, 40]],
  ['taxRate', 'Tax rate', 'RiskUniform', [0.21, 0.28]],
  ['discountRate', 'Discount rate', 'RiskTriang', [0.07, 0.09, 0.12]],
] as const satisfies readonly (readonly [string, string, string, readonly number[]])[];

/** The DCF's fixed assumptions, in Inputs!B28:B34 order. */
export const DCF_ASSUMPTIONS = {
  depreciationLife: 7,
  maxShare: 0.25,
  debtShare: 0.4,
  interestRate: 0.06,
  debtTerm: 5,
  daysPerYear: 365,
  terminalGrowth: 0.02,
} as const;

export const DCF_YEARS = 10;

const ASSUMPTION_LABELS: Record<keyof typeof DCF_ASSUMPTIONS, string> = {
  depreciationLife: 'Depreciation life (years)',
  maxShare: 'Maximum market share',
  debtShare: 'Debt share of initial capex',
  interestRate: 'Interest rate',
  debtTerm: 'Debt term (years)',
  daysPerYear: 'Days per year',
  terminalGrowth: 'Terminal growth',
};

type Driver = (typeof DCF_DRIVERS)[number][0];
type Assumption = keyof typeof DCF_ASSUMPTIONS;

/** Absolute reference to a driver or assumption on the Inputs sheet. */
function inputRef(name: Driver | Assumption): string {
  const driver = DCF_DRIVERS.findIndex(([key]) => key === name);
  if (driver >= 0) return `Inputs!$B$${driver + 2}`;
  const assumption = Object.keys(DCF_ASSUMPTIONS).indexOf(name);
  return `Inputs!$B$${assumption + DCF_DRIVERS.length + 3}`;
}

/**
 * One line of the DCF sheet: column B is year 0, C..L years 1..10. `first` (year 1) defaults to `later`,
 * `year0` to an empty cell; a builder gets `at(line)` (the line's cell in this column), `prev(line)` (previous column) and
 * `year` (0..10), and returns a formula or a number; undefined leaves the cell empty.
 */
interface Line {
  key: string;
  label: string;
  year0?: (c: ColumnRefs) => string | number | undefined;
  first?: (c: ColumnRefs) => string | number | undefined;
  later: (c: ColumnRefs) => string | number | undefined;
}

interface ColumnRefs {
  at: (key: string) => string;
  prev: (key: string) => string;
  /** The cell of `key` in year `y`'s column, absolute. */
  year: (key: string, y: number) => string;
  y: number;
  i: (name: Driver | Assumption) => string;
}

const none = () => undefined;
const sumOf = (...cells: string[]) => cells.join('+');

const DCF_LINES: Line[] = [
  { key: 'year', label: 'Year', year0: () => 0, later: ({ y }) => y },
  {
    key: 'marketSize',
    label: 'Market size (k units)',
    first: ({ i }) => `=${i('marketSize')}`,
    later: ({ prev, i }) => `=${prev('marketSize')}*(1+${i('marketGrowth')})`,
  },
  {
    key: 'share',
    label: 'Market share',
    later: ({ at, i }) => `=MIN(${i('shareStart')}+${i('shareGain')}*(${at('year')}-1),${i('maxShare')})`,
  },
  { key: 'unitsA', label: 'Product A units', later: ({ at }) => `=${at('marketSize')}*${at('share')}` },
  {
    key: 'priceA',
    label: 'Product A price',
    first: ({ i }) => `=${i('priceA')}`,
    later: ({ prev, i }) => `=${prev('priceA')}*(1-${i('priceErosion')})`,
  },
  { key: 'revenueA', label: 'Product A revenue', later: ({ at }) => `=${at('unitsA')}*${at('priceA')}` },
  {
    key: 'unitsB',
    label: 'Product B units',
    first: ({ i }) => `=${i('volumeB')}`,
    later: ({ prev, i }) => `=${prev('unitsB')}*(1+${i('growthB')})`,
  },
  {
    key: 'priceB',
    label: 'Product B price',
    first: ({ i }) => `=${i('priceB')}`,
    later: ({ prev, i }) => `=${prev('priceB')}*(1-${i('priceErosion')}/2)`,
  },
  { key: 'revenueB', label: 'Product B revenue', later: ({ at }) => `=${at('unitsB')}*${at('priceB')}` },
  { key: 'units', label: 'Total units', later: ({ at }) => `=${sumOf(at('unitsA'), at('unitsB'))}` },
  {
    key: 'serviceRevenue',
    label: 'Service revenue',
    later: ({ at, i }) =>
      `=${at('units')}*${i('attachRate')}*${i('servicePrice')}*(1+${i('wageInflation')})^(${at('year')}-1)`,
  },
  {
    key: 'revenue',
    label: 'Revenue',
    later: ({ at }) => `=${sumOf(at('revenueA'), at('revenueB'), at('serviceRevenue'))}`,
  },
  {
    key: 'materialUnitCost',
    label: 'Material cost per unit',
    first: ({ i }) => `=${i('materialCost')}`,
    later: ({ prev, i }) => `=${prev('materialUnitCost')}*(1+${i('materialInflation')})`,
  },
  {
    key: 'laborUnitCost',
    label: 'Labour cost per unit',
    first: ({ i }) => `=${i('laborCost')}`,
    later: ({ prev, i }) => `=${prev('laborUnitCost')}*(1+${i('wageInflation')})`,
  },
  {
    key: 'materials',
    label: 'Materials',
    later: ({ at }) => `=${at('units')}*${at('materialUnitCost')}`,
  },
  { key: 'labor', label: 'Labour', later: ({ at }) => `=${at('units')}*${at('laborUnitCost')}` },
  { key: 'cogs', label: 'Cost of goods sold', later: ({ at }) => `=SUM(${at('materials')}:${at('labor')})` },
  { key: 'grossProfit', label: 'Gross profit', later: ({ at }) => `=${at('revenue')}-${at('cogs')}` },
  {
    key: 'grossMargin',
    label: 'Gross margin',
    later: ({ at }) => `=IF(${at('revenue')}=0,0,${at('grossProfit')}/${at('revenue')})`,
  },
  {
    key: 'overhead',
    label: 'Fixed overhead',
    later: ({ at, i }) => `=${i('fixedOverhead')}*(1+${i('wageInflation')})^(${at('year')}-1)`,
  },
  { key: 'sga', label: 'SG&A', later: ({ at, i }) => `=${at('revenue')}*${i('sgaRate')}` },
  {
    key: 'rnd',
    label: 'R&D',
    first: ({ i }) => `=${i('rnd')}`,
    later: ({ prev, i }) => `=${prev('rnd')}*(1+${i('wageInflation')})`,
  },
  { key: 'opex', label: 'Operating expenses', later: ({ at }) => `=SUM(${at('overhead')}:${at('rnd')})` },
  { key: 'ebitda', label: 'EBITDA', later: ({ at }) => `=${at('grossProfit')}-${at('opex')}` },
  {
    key: 'ebitdaMargin',
    label: 'EBITDA margin',
    later: ({ at }) => `=IF(${at('revenue')}=0,0,${at('ebitda')}/${at('revenue')})`,
  },
  {
    key: 'capex',
    label: 'Capex',
    year0: ({ i }) => `=${i('initialCapex')}`,
    later: ({ at, i }) => `=${at('revenue')}*${i('maintenanceRate')}`,
  },
  {
    key: 'depreciationInitial',
    label: 'Depreciation of initial capex',
    later: ({ at, year, i }) =>
      `=IF(${at('year')}<=${i('depreciationLife')},${year('capex', 0)}/${i('depreciationLife')},0)`,
  },
  {
    key: 'depreciationMaintenance',
    label: 'Depreciation of maintenance capex',
    // Straight line: every vintage still within its life contributes capex / life.
    later: ({ at, year, y, i }) =>
      `=SUM(${year('capex', Math.max(1, y - DCF_ASSUMPTIONS.depreciationLife + 1))}:${at('capex')})/${i('depreciationLife')}`,
  },
  {
    key: 'depreciation',
    label: 'Depreciation',
    later: ({ at }) => `=${sumOf(at('depreciationInitial'), at('depreciationMaintenance'))}`,
  },
  { key: 'ebit', label: 'EBIT', later: ({ at }) => `=${at('ebitda')}-${at('depreciation')}` },
  {
    key: 'debtOpening',
    label: 'Debt, opening',
    later: ({ prev }) => `=${prev('debtClosing')}`,
  },
  { key: 'interest', label: 'Interest', later: ({ at, i }) => `=${at('debtOpening')}*${i('interestRate')}` },
  {
    key: 'repayment',
    label: 'Debt repayment',
    later: ({ at, year, i }) =>
      `=IF(${at('year')}<=${i('debtTerm')},${year('debtClosing', 0)}/${i('debtTerm')},0)`,
  },
  {
    key: 'debtClosing',
    label: 'Debt, closing',
    year0: ({ at, i }) => `=${at('capex')}*${i('debtShare')}`,
    later: ({ at }) => `=${at('debtOpening')}-${at('repayment')}`,
  },
  { key: 'ebt', label: 'Earnings before tax', later: ({ at }) => `=${at('ebit')}-${at('interest')}` },
  { key: 'tax', label: 'Tax', later: ({ at, i }) => `=MAX(0,${at('ebt')}*${i('taxRate')})` },
  { key: 'netIncome', label: 'Net income', later: ({ at }) => `=${at('ebt')}-${at('tax')}` },
  {
    key: 'receivables',
    label: 'Receivables',
    year0: () => 0,
    later: ({ at, i }) => `=${at('revenue')}*${i('receivableDays')}/${i('daysPerYear')}`,
  },
  {
    key: 'inventory',
    label: 'Inventory',
    year0: () => 0,
    later: ({ at, i }) => `=${at('cogs')}*${i('inventoryDays')}/${i('daysPerYear')}`,
  },
  {
    key: 'payables',
    label: 'Payables',
    year0: () => 0,
    later: ({ at, i }) => `=${at('cogs')}*${i('payableDays')}/${i('daysPerYear')}`,
  },
  {
    key: 'workingCapital',
    label: 'Working capital',
    year0: ({ at }) => `=${at('receivables')}+${at('inventory')}-${at('payables')}`,
    later: ({ at }) => `=${at('receivables')}+${at('inventory')}-${at('payables')}`,
  },
  {
    key: 'workingCapitalChange',
    label: 'Change in working capital',
    later: ({ at, prev }) => `=${at('workingCapital')}-${prev('workingCapital')}`,
  },
  {
    key: 'operatingTax',
    label: 'Tax on EBIT',
    later: ({ at, i }) => `=MAX(0,${at('ebit')}*${i('taxRate')})`,
  },
  {
    key: 'freeCashFlow',
    label: 'Free cash flow',
    year0: ({ at }) => `=-${at('capex')}-${at('workingCapital')}`,
    later: ({ at }) => `=${at('ebitda')}-${at('operatingTax')}-${at('capex')}-${at('workingCapitalChange')}`,
  },
  {
    key: 'discountFactor',
    label: 'Discount factor',
    year0: () => 1,
    later: ({ at, i }) => `=1/(1+${i('discountRate')})^${at('year')}`,
  },
  {
    key: 'presentValue',
    label: 'Present value of free cash flow',
    year0: ({ at }) => `=${at('freeCashFlow')}*${at('discountFactor')}`,
    later: ({ at }) => `=${at('freeCashFlow')}*${at('discountFactor')}`,
  },
  {
    key: 'cumulativeCash',
    label: 'Cumulative free cash flow',
    year0: ({ at }) => `=${at('freeCashFlow')}`,
    later: ({ at, prev }) => `=${prev('cumulativeCash')}+${at('freeCashFlow')}`,
  },
  {
    key: 'equityCashFlow',
    label: 'Equity cash flow',
    year0: ({ at }) => `=${at('freeCashFlow')}+${at('debtClosing')}`,
    later: ({ at }) =>
      `=${at('netIncome')}+${at('depreciation')}-${at('capex')}-${at('workingCapitalChange')}-${at('repayment')}`,
  },
  {
    key: 'coverage',
    label: 'Debt service coverage',
    // Text after the debt is repaid, so that MIN over the row ignores those years.
    later: ({ at, i }) =>
      `=IF(${at('year')}<=${i('debtTerm')},${at('ebitda')}/(${at('interest')}+${at('repayment')}),"")`,
  },
  {
    key: 'interestCover',
    label: 'Interest cover',
    later: ({ at }) => `=IF(${at('interest')}>0,${at('ebit')}/${at('interest')},"")`,
  },
  {
    key: 'ebitMargin',
    label: 'EBIT margin',
    later: ({ at }) => `=IF(${at('revenue')}=0,0,${at('ebit')}/${at('revenue')})`,
  },
  {
    key: 'netMargin',
    label: 'Net margin',
    later: ({ at }) => `=IF(${at('revenue')}=0,0,${at('netIncome')}/${at('revenue')})`,
  },
  {
    key: 'effectiveTaxRate',
    label: 'Effective tax rate',
    later: ({ at }) => `=IF(${at('ebt')}<=0,0,${at('tax')}/${at('ebt')})`,
  },
  {
    key: 'realPriceA',
    label: 'Product A price in year-1 money',
    later: ({ at, i }) => `=${at('priceA')}/(1+${i('wageInflation')})^(${at('year')}-1)`,
  },
  {
    key: 'netDebt',
    label: 'Net debt',
    year0: ({ at }) => `=${at('debtClosing')}-MAX(0,${at('cumulativeCash')})`,
    later: ({ at }) => `=${at('debtClosing')}-MAX(0,${at('cumulativeCash')})`,
  },
  {
    key: 'revenueGrowth',
    label: 'Revenue growth',
    first: none,
    later: ({ at, prev }) => `=IF(${prev('revenue')}=0,0,${at('revenue')}/${prev('revenue')}-1)`,
  },
  {
    key: 'cashMargin',
    label: 'Free cash flow margin',
    later: ({ at }) => `=IF(${at('revenue')}=0,0,${at('freeCashFlow')}/${at('revenue')})`,
  },
];

const DCF_FIRST_ROW = 3;

function dcfRow(key: string): number {
  const i = DCF_LINES.findIndex((l) => l.key === key);
  if (i < 0) throw new Error(`no DCF line ${key}`);
  return DCF_FIRST_ROW + i;
}

/** Column letter of year y (B is year 0). */
function yearColumn(y: number): string {
  return numberToColumn(y + 2);
}

function dcfInputsSheet(): { cells: Cells; inputs: UncertainInput[] } {
  const cells: Cells = { A1: { value: 'Driver' }, B1: { value: 'Value' } };
  const inputs = DCF_DRIVERS.map(([, label, fn, params], k) => {
    const input = uncertain('Inputs', `B${k + 2}`, fn, [...params]);
    cells[`A${k + 2}`] = { value: label };
    cells[input.cell] = { formula: distributionFormula(input) };
    return input;
  });
  Object.entries(DCF_ASSUMPTIONS).forEach(([key, value], k) => {
    const row = k + DCF_DRIVERS.length + 3;
    cells[`A${row}`] = { value: ASSUMPTION_LABELS[key as Assumption] };
    cells[`B${row}`] = { value };
  });
  return { cells, inputs };
}

function dcfSheet(): Cells {
  const cells: Cells = { A1: { value: 'Project cash flows (k$)' } };
  for (let y = 0; y <= DCF_YEARS; y++) cells[`${yearColumn(y)}2`] = { value: `Year ${y}` };
  for (const line of DCF_LINES) {
    const row = dcfRow(line.key);
    cells[`A${row}`] = { value: line.label };
    for (let y = 0; y <= DCF_YEARS; y++) {
      const refs: ColumnRefs = {
        at: (key) => `${yearColumn(y)}${dcfRow(key)}`,
        prev: (key) => `${yearColumn(y - 1)}${dcfRow(key)}`,
        year: (key, at) => `$${yearColumn(at)}$${dcfRow(key)}`,
        y,
        i: inputRef,
      };
      const build = y === 0 ? (line.year0 ?? none) : y === 1 ? (line.first ?? line.later) : line.later;
      const content = build(refs);
      if (content === undefined) continue;
      cells[`${yearColumn(y)}${row}`] =
        typeof content === 'number' ? { value: content } : { formula: content };
    }
  }
  const summary = DCF_FIRST_ROW + DCF_LINES.length + 1;
  const last = yearColumn(DCF_YEARS);
  const rowOf = (key: string) => `B${dcfRow(key)}:${last}${dcfRow(key)}`;
  const lastCell = (key: string) => `${last}${dcfRow(key)}`;
  const put = (offset: number, label: string, formula: string) => {
    cells[`A${summary + offset}`] = { value: label };
    cells[`B${summary + offset}`] = { formula };
  };
  const g = inputRef('terminalGrowth');
  put(
    0,
    'Terminal value',
    `=${lastCell('freeCashFlow')}*(1+${g})/(${inputRef('discountRate')}-${g})*${lastCell('discountFactor')}`,
  );
  put(1, 'NPV', `=RiskOutput("NPV")+SUM(${rowOf('presentValue')})+B${summary}`);
  put(2, 'Project IRR', `=RiskOutput("Project IRR")+IRR(${rowOf('freeCashFlow')})`);
  put(3, 'Equity IRR', `=IRR(${rowOf('equityCashFlow')})`);
  put(4, 'Minimum debt coverage', `=MIN(C${dcfRow('coverage')}:${lastCell('coverage')})`);
  put(5, 'Peak funding need', `=-MIN(${rowOf('cumulativeCash')})`);
  return cells;
}

export function dcfModel(): BenchModel {
  const { cells: inputCells, inputs } = dcfInputsSheet();
  const summary = DCF_FIRST_ROW + DCF_LINES.length + 1;
  return {
    name: 'dcf',
    description: `10-year project DCF, ${inputs.length} uncertain inputs`,
    workbook: {
      version: 1,
      sheets: [
        { name: 'Inputs', cells: inputCells },
        { name: 'DCF', cells: dcfSheet() },
      ],
      names: [],
    },
    inputs,
    outputs: [`DCF!B${summary + 1}`, `DCF!B${summary + 2}`],
  };
}

// ---------------------------------------------------------------------------------------------
// (b) Portfolio of 2,000 projects
// ---------------------------------------------------------------------------------------------

export const PORTFOLIO_PROJECTS = 2000;
const PORTFOLIO_FIRST_ROW = 4;

/** A reproducible spread of project parameters (no Math.random: the workbook must not change between runs). */
function spread(index: number, salt: number, min: number, max: number): number {
  const x = Math.sin((index + 1) * 12.9898 + salt * 78.233) * 43758.5453;
  const unit = x - Math.floor(x);
  return Math.round((min + unit * (max - min)) * 100) / 100;
}

/**
 * Each project: capex (triangular), yearly cash flow (normal), technical success (0/1 binomial), the present
 * value of its cash flows over its life (PV) and its NPV. Five random cells a project, 10,000 in all.
 */
export function portfolioModel(): BenchModel {
  const cells: Cells = {
    A1: { value: 'Discount rate' },
    B1: { value: 0.08 },
    A2: { value: 'Portfolio NPV' },
    A3: { value: 'Project' },
    B3: { value: 'Life (years)' },
    C3: { value: 'Success probability' },
    D3: { value: 'Capex' },
    E3: { value: 'Yearly cash flow' },
    F3: { value: 'Success' },
    G3: { value: 'PV of cash flows' },
    H3: { value: 'NPV' },
  };
  const inputs: UncertainInput[] = [];
  const last = PORTFOLIO_FIRST_ROW + PORTFOLIO_PROJECTS - 1;
  for (let p = 0; p < PORTFOLIO_PROJECTS; p++) {
    const r = PORTFOLIO_FIRST_ROW + p;
    const capex = spread(p, 1, 200, 2000);
    const cash = spread(p, 2, 0.15, 0.35) * capex;
    const capexInput = uncertain('Portfolio', `D${r}`, 'RiskTriang', [
      round2(capex * 0.9),
      round2(capex),
      round2(capex * 1.4),
    ]);
    const cashInput = uncertain('Portfolio', `E${r}`, 'RiskNormal', [round2(cash), round2(cash * 0.2)]);
    const successInput = uncertain('Portfolio', `F${r}`, 'RiskBinomial', [1, spread(p, 3, 0.5, 0.95)]);
    inputs.push(capexInput, cashInput, successInput);
    cells[`A${r}`] = { value: `Project ${p + 1}` };
    cells[`B${r}`] = { value: 5 + Math.floor(spread(p, 4, 0, 10.99)) };
    cells[`C${r}`] = { value: successInput.params[1] };
    for (const input of [capexInput, cashInput, successInput])
      cells[input.cell] = { formula: distributionFormula(input) };
    cells[`G${r}`] = { formula: `=PV($B$1,B${r},-E${r})` };
    cells[`H${r}`] = { formula: `=F${r}*G${r}-D${r}` };
  }
  cells.B2 = { formula: `=RiskOutput("Portfolio NPV")+SUM(H${PORTFOLIO_FIRST_ROW}:H${last})` };
  return {
    name: 'portfolio',
    description: `portfolio of ${PORTFOLIO_PROJECTS.toLocaleString('en-US')} projects`,
    workbook: { version: 1, sheets: [{ name: 'Portfolio', cells }], names: [] },
    inputs,
    outputs: ['Portfolio!B2'],
  };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

// ---------------------------------------------------------------------------------------------
// (c) Lookup-heavy pricing model
// ---------------------------------------------------------------------------------------------

export const LOOKUP_TABLE_ROWS = 1000;
export const LOOKUP_ORDERS = 200;
const CATEGORIES = 20;
const DISCOUNT_TIERS = 10;

/** Products (1,000 rows), freight per category, volume discount tiers. */
function lookupTables(): Cells {
  const cells: Cells = {
    A1: { value: 'Product' },
    B1: { value: 'Code' },
    C1: { value: 'List price' },
    D1: { value: 'Unit cost' },
    E1: { value: 'Category' },
    G1: { value: 'Category' },
    H1: { value: 'Freight rate' },
    J1: { value: 'Volume from' },
    K1: { value: 'Discount' },
  };
  for (let p = 1; p <= LOOKUP_TABLE_ROWS; p++) {
    const price = spread(p, 5, 5, 500);
    cells[`A${p + 1}`] = { value: p };
    cells[`B${p + 1}`] = { value: `SKU-${String(p).padStart(4, '0')}` };
    cells[`C${p + 1}`] = { value: price };
    cells[`D${p + 1}`] = { value: round2(price * spread(p, 6, 0.4, 0.8)) };
    cells[`E${p + 1}`] = { value: 1 + (p % CATEGORIES) };
  }
  for (let c = 1; c <= CATEGORIES; c++) {
    // Categories listed in a scrambled order so that MATCH really searches.
    const category = 1 + ((c * 7) % CATEGORIES);
    cells[`G${c + 1}`] = { value: category };
    cells[`H${c + 1}`] = { value: spread(category, 7, 0.02, 0.12) };
  }
  for (let t = 0; t < DISCOUNT_TIERS; t++) {
    cells[`J${t + 2}`] = { value: t * 25 };
    cells[`K${t + 2}`] = { value: t * 0.01 };
  }
  return cells;
}

/**
 * Each order: a random product (integer uniform over the table's ids) and volume (lognormal); its price and
 * category by VLOOKUP, its cost by INDEX/MATCH, freight by INDEX/MATCH on the category, the volume discount
 * by approximate VLOOKUP; the output is the total margin.
 */
export function lookupModel(): BenchModel {
  const products = `Tables!$A$2:$E$${LOOKUP_TABLE_ROWS + 1}`;
  const ids = `Tables!$A$2:$A$${LOOKUP_TABLE_ROWS + 1}`;
  const costs = `Tables!$D$2:$D$${LOOKUP_TABLE_ROWS + 1}`;
  const categories = `Tables!$G$2:$G$${CATEGORIES + 1}`;
  const freight = `Tables!$H$2:$H$${CATEGORIES + 1}`;
  const tiers = `Tables!$J$2:$K$${DISCOUNT_TIERS + 1}`;
  const cells: Cells = {
    A1: { value: 'Total margin' },
    A3: { value: 'Order' },
    B3: { value: 'Product' },
    C3: { value: 'Volume' },
    D3: { value: 'List price' },
    E3: { value: 'Unit cost' },
    F3: { value: 'Category' },
    G3: { value: 'Freight rate' },
    H3: { value: 'Discount' },
    I3: { value: 'Margin' },
  };
  const inputs: UncertainInput[] = [];
  const first = 4;
  const last = first + LOOKUP_ORDERS - 1;
  for (let o = 0; o < LOOKUP_ORDERS; o++) {
    const r = first + o;
    const product = uncertain('Orders', `B${r}`, 'RiskIntUniform', [1, LOOKUP_TABLE_ROWS]);
    const volume = uncertain('Orders', `C${r}`, 'RiskLognorm', [round2(spread(o, 8, 20, 120)), 30]);
    inputs.push(product, volume);
    cells[`A${r}`] = { value: o + 1 };
    cells[product.cell] = { formula: distributionFormula(product) };
    cells[volume.cell] = { formula: distributionFormula(volume) };
    cells[`D${r}`] = { formula: `=VLOOKUP(B${r},${products},3,FALSE)` };
    cells[`E${r}`] = { formula: `=INDEX(${costs},MATCH(B${r},${ids},0))` };
    cells[`F${r}`] = { formula: `=VLOOKUP(B${r},${products},5,FALSE)` };
    cells[`G${r}`] = { formula: `=INDEX(${freight},MATCH(F${r},${categories},0))` };
    cells[`H${r}`] = { formula: `=VLOOKUP(C${r},${tiers},2,TRUE)` };
    cells[`I${r}`] = { formula: `=C${r}*(D${r}*(1-H${r})-E${r}*(1+G${r}))` };
  }
  cells.B1 = { formula: `=RiskOutput("Total margin")+SUM(I${first}:I${last})` };
  return {
    name: 'lookup',
    description: `${LOOKUP_ORDERS} orders priced by lookups on ${LOOKUP_TABLE_ROWS.toLocaleString('en-US')}-row tables`,
    workbook: {
      version: 1,
      sheets: [
        { name: 'Orders', cells },
        { name: 'Tables', cells: lookupTables() },
      ],
      names: [],
    },
    inputs,
    outputs: ['Orders!B1'],
  };
}

export function benchModels(): BenchModel[] {
  return [dcfModel(), portfolioModel(), lookupModel()];
}

/** bench/models under the repository root. */
export function modelPath(root: string, model: BenchModel): string {
  return resolve(root, 'bench/models', `${model.name}.xlsx`);
}

/** Writes every benchmark workbook to bench/models/. */
export function writeBenchModels(root: string, models = benchModels()): string[] {
  mkdirSync(resolve(root, 'bench/models'), { recursive: true });
  return models.map((model) => {
    const path = modelPath(root, model);
    writeFileSync(path, writeWorkbook(model.workbook));
    return path;
  });
}
