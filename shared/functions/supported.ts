/**
 * The names of the functions a model may call: what the task pane checks a workbook against before it
 * is sent, without loading the engine's function library. The engine's library is the truth; a test
 * (test/engine/functions/library-names.test.ts) fails when this list and the library differ.
 */
import { ALT_FUNCTIONS } from '../distributions/alt-forms';
import { DISTRIBUTION_FUNCTIONS, PROPERTY_FUNCTIONS } from '../distributions/catalogue';
import type { CallNode, FormulaNode } from '../formula/ast';
import { someNode } from '../formula/walk';
import { translatePsiCalls } from './psi';
import { RANDOM_FUNCTIONS } from './random';
import { SIMTABLE_FUNCTIONS } from './simtable';
import { isStatisticsFunction } from './statistics';

/** Every function of the engine's library (server/engine/functions), upper case, by first letter. */
export const LIBRARY_FUNCTIONS: ReadonlySet<string> = new Set(
  `
ABS ACCRINT ACCRINTM ACOS ACOSH ACOT ACOTH ADDRESS AGGREGATE AND ARABIC AREAS ARRAYTOTEXT ASIN ASINH
ATAN ATAN2 ATANH AVEDEV AVERAGE AVERAGEA AVERAGEIF AVERAGEIFS
BASE BESSELI BESSELJ BESSELK BESSELY BETA.DIST BETA.INV BETADIST BETAINV BIN2DEC BIN2HEX BIN2OCT
BINOM.DIST BINOM.DIST.RANGE BINOM.INV BINOMDIST BITAND BITLSHIFT BITOR BITRSHIFT BITXOR BYCOL BYROW
CEILING CEILING.MATH CEILING.PRECISE CELL CHAR CHIDIST CHIINV CHISQ.DIST CHISQ.DIST.RT CHISQ.INV
CHISQ.INV.RT CHISQ.TEST CHITEST CHOOSECOLS CHOOSEROWS CLEAN CODE COLUMN COLUMNS COMBIN COMBINA
COMPLEX CONCAT CONCATENATE CONFIDENCE CONFIDENCE.NORM CONFIDENCE.T CONVERT CORREL COS COSH COT COTH
COUNT COUNTA COUNTBLANK COUNTIF COUNTIFS COUPDAYBS COUPDAYS COUPDAYSNC COUPNCD COUPNUM COUPPCD COVAR
COVARIANCE.P COVARIANCE.S CRITBINOM CSC CSCH CUMIPMT CUMPRINC
DATE DATEDIF DATEVALUE DAVERAGE DAY DAYS DAYS360 DB DCOUNT DCOUNTA DDB DEC2BIN DEC2HEX DEC2OCT
DECIMAL DEGREES DELTA DEVSQ DGET DISC DMAX DMIN DOLLAR DOLLARDE DOLLARFR DPRODUCT DROP DSTDEV
DSTDEVP DSUM DURATION DVAR DVARP
EDATE EFFECT EOMONTH ERF ERF.PRECISE ERFC ERFC.PRECISE ERROR.TYPE EVEN EXACT EXP EXPAND EXPON.DIST
EXPONDIST
F.DIST F.DIST.RT F.INV F.INV.RT F.TEST FACT FACTDOUBLE FALSE FDIST FILTER FIND FINDB FINV FISHER
FISHERINV FIXED FLOOR FLOOR.MATH FLOOR.PRECISE FORECAST FORECAST.LINEAR FORMULATEXT FREQUENCY FTEST
FV FVSCHEDULE
GAMMA GAMMA.DIST GAMMA.INV GAMMADIST GAMMAINV GAMMALN GAMMALN.PRECISE GAUSS GCD GEOMEAN GESTEP
GROWTH
HARMEAN HEX2BIN HEX2DEC HEX2OCT HLOOKUP HOUR HSTACK HYPGEOM.DIST HYPGEOMDIST
IMABS IMAGINARY IMARGUMENT IMCONJUGATE IMCOS IMCOSH IMCOT IMCSC IMCSCH IMDIV IMEXP IMLN IMLOG10
IMLOG2 IMPOWER IMPRODUCT IMREAL IMSEC IMSECH IMSIN IMSINH IMSQRT IMSUB IMSUM IMTAN INDEX INDIRECT
INT INTERCEPT INTRATE IPMT IRR ISBLANK ISERR ISERROR ISEVEN ISFORMULA ISLOGICAL ISNA ISNONTEXT
ISNUMBER ISO.CEILING ISODD ISOWEEKNUM ISPMT ISREF ISTEXT
KURT
LARGE LCM LEFT LEFTB LEN LENB LINEST LN LOG LOG10 LOGEST LOGINV LOGNORM.DIST LOGNORM.INV LOGNORMDIST
LOOKUP LOWER
MAKEARRAY MAP MATCH MAX MAXA MAXIFS MDETERM MDURATION MEDIAN MID MIDB MIN MINA MINIFS MINUTE
MINVERSE MIRR MMULT MOD MODE MODE.MULT MODE.SNGL MONTH MROUND MULTINOMIAL MUNIT
N NA NEGBINOM.DIST NEGBINOMDIST NETWORKDAYS NETWORKDAYS.INTL NOMINAL NORM.DIST NORM.INV NORM.S.DIST
NORM.S.INV NORMDIST NORMINV NORMSDIST NORMSINV NOT NOW NPER NPV NUMBERVALUE
OCT2BIN OCT2DEC OCT2HEX ODD ODDFPRICE ODDFYIELD ODDLPRICE ODDLYIELD OFFSET OR
PDURATION PEARSON PERCENTILE PERCENTILE.EXC PERCENTILE.INC PERCENTRANK PERCENTRANK.EXC
PERCENTRANK.INC PERMUT PERMUTATIONA PHI PI PMT POISSON POISSON.DIST POWER PPMT PRICE PRICEDISC
PRICEMAT PROB PRODUCT PROPER PV
QUARTILE QUARTILE.EXC QUARTILE.INC QUOTIENT
RADIANS RANK RANK.AVG RANK.EQ RATE RECEIVED REDUCE REGEXEXTRACT REGEXREPLACE REGEXTEST REPLACE
REPLACEB REPT RIGHT RIGHTB ROMAN ROUND ROUNDDOWN ROUNDUP ROW ROWS RRI RSQ
SCAN SEARCH SEARCHB SEC SECH SECOND SEQUENCE SERIESSUM SHEET SHEETS SIGN SIN SINH SKEW SKEW.P SLN
SLOPE SMALL SORT SORTBY SQRT SQRTPI STANDARDIZE STDEV STDEV.P STDEV.S STDEVA STDEVP STDEVPA STEYX
SUBSTITUTE SUBTOTAL SUM SUMIF SUMIFS SUMPRODUCT SUMSQ SUMX2MY2 SUMX2PY2 SUMXMY2 SYD
T T.DIST T.DIST.2T T.DIST.RT T.INV T.INV.2T T.TEST TAKE TAN TANH TBILLEQ TBILLPRICE TBILLYIELD TDIST
TEXT TEXTAFTER TEXTBEFORE TEXTJOIN TEXTSPLIT TIME TIMEVALUE TINV TOCOL TODAY TOROW TRANSPOSE TREND
TRIM TRIMMEAN TRIMRANGE TRUE TRUNC TTEST TYPE
UNICHAR UNICODE UNIQUE UPPER
VALUE VALUETOTEXT VAR VAR.P VAR.S VARA VARP VARPA VDB VLOOKUP VSTACK
WEEKDAY WEEKNUM WEIBULL WEIBULL.DIST WORKDAY WORKDAY.INTL WRAPCOLS WRAPROWS
XIRR XLOOKUP XMATCH XNPV XOR
YEAR YEARFRAC YIELD YIELDDISC YIELDMAT
Z.TEST ZTEST
`
    .split(/\s+/)
    .filter(Boolean),
);

/** Special forms the evaluators implement themselves (lazy arguments). */
export const SPECIAL_FORMS: ReadonlySet<string> = new Set([
  'IF',
  'IFS',
  'IFERROR',
  'IFNA',
  'SWITCH',
  'CHOOSE',
  'LET',
  'LAMBDA',
  'ISOMITTED',
  // @RISK's RiskMakeInput(formula, properties…): the formula's value (Montecell samples every input anyway)
  'RISKMAKEINPUT',
]);

/** Whether a model may call `name` (upper case); a defined name holding a LAMBDA is callable too. */
export function isSupportedFunction(name: string, definedNames: ReadonlySet<string> = new Set()): boolean {
  return (
    LIBRARY_FUNCTIONS.has(name) ||
    SPECIAL_FORMS.has(name) ||
    DISTRIBUTION_FUNCTIONS.has(name) ||
    ALT_FUNCTIONS.has(name) ||
    RANDOM_FUNCTIONS.has(name) || // the simulation compiler samples these
    name === 'RISKOUTPUT' ||
    PROPERTY_FUNCTIONS.has(name) ||
    isStatisticsFunction(name) || // computed outside the trials
    SIMTABLE_FUNCTIONS.has(name) ||
    definedNames.has(name)
  );
}

/**
 * The RiskConvergence calls among a RiskOutput call's arguments (an output's own convergence test): the
 * only place RiskConvergence may stand, as @RISK has it.
 */
export function convergenceSettings(node: CallNode): CallNode[] {
  if (node.name !== 'RISKOUTPUT') return [];
  return node.args.filter((a): a is CallNode => a.type === 'call' && a.name === 'RISKCONVERGENCE');
}

/**
 * The functions a formula calls that a model may not call, upper case, each once in order of first use:
 * what the engine refuses before a run starts and the pane lists before Run. A call to a name the
 * formula binds with LET or LAMBDA, or to a defined name (a LAMBDA), is the model's own function.
 */
export function unsupportedCalls(tree: FormulaNode, definedNames: ReadonlySet<string> = new Set()): string[] {
  const calls: string[] = [];
  const locals = new Set<string>();
  const outputSettings = new Set<FormulaNode>();
  // A Psi call with an @RISK equivalent is that call (the engine reads it so); any other keeps its name.
  someNode(translatePsiCalls(tree), (node) => {
    if (node.type !== 'call') return false;
    for (const setting of convergenceSettings(node)) outputSettings.add(setting);
    if (!outputSettings.has(node)) calls.push(node.name);
    // LET(name, value, …, result) and LAMBDA(parameter, …, body) bind names the formula may call.
    const bound =
      node.name === 'LET'
        ? node.args.filter((_, i) => i % 2 === 0 && i < node.args.length - 1)
        : node.name === 'LAMBDA'
          ? node.args.slice(0, -1)
          : [];
    for (const arg of bound) if (arg.type === 'name') locals.add(arg.name.toUpperCase());
    return false;
  });
  return [...new Set(calls)].filter((name) => !locals.has(name) && !isSupportedFunction(name, definedNames));
}
