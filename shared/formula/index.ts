export * from './ast';
export { FormulaParseError, type FormulaParseErrorCode } from './errors';
export { ERROR_LITERALS } from './lexer';
export { MAX_DEPTH, normalizeFunctionName, parseFormula } from './parser';
export { printFormula } from './printer';
export * from './references';
export { childrenOf, someNode } from './walk';
