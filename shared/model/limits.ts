/** Limits of what the service accepts. Shared so the add-in can warn before sending. */
export const LIMITS = {
  maxCells: 1_000_000,
  /** Excel's own limit on the length of a formula's contents. */
  maxFormulaLength: 8_192,
  maxSheetNameLength: 31,
  maxIterations: 10_000_000,
  maxTargets: 1_000,
  maxVariables: 10_000,
  maxRows: 1_048_576,
  maxColumns: 16_384,
} as const;
