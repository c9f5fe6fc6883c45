/**
 * Analytic Solver's (Frontline's Risk Solver) distribution and property functions that Montecell runs, each
 * as the @RISK function it is: the same distribution with its arguments in the same order, so that a
 * workbook built for Analytic Solver samples exactly what the @RISK form of it would.
 *
 * Only the functions whose parameterisation is confirmed by Frontline's function reference, or is the one
 * standard reading of their arguments, are listed; docs/risk-functions.md says which is which. Every other
 * Psi function stays unknown to the engine and is refused before a run under its own name.
 */

/** Upper-case Psi distribution name → the upper-case @RISK distribution it is, arguments unchanged. */
export const PSI_DISTRIBUTIONS: ReadonlyMap<string, string> = new Map([
  // Confirmed by Frontline's reference: argument meanings and order as @RISK's.
  ['PSINORMAL', 'RISKNORMAL'], // (mean, standard deviation)
  ['PSITRIANGULAR', 'RISKTRIANG'], // (min, most likely, max)
  ['PSIGEOMETRIC', 'RISKGEOMET'], // (p): failures before the first success, from 0
  // The standard reading of their arguments (Frontline's parameter tables not read).
  ['PSIUNIFORM', 'RISKUNIFORM'], // (lower, upper)
  ['PSIPERT', 'RISKPERT'], // (min, most likely, max)
  ['PSIBERNOULLI', 'RISKBERNOULLI'], // (p)
  ['PSIBINOMIAL', 'RISKBINOMIAL'], // (trials, p)
  ['PSIPOISSON', 'RISKPOISSON'], // (mean)
  ['PSIINTUNIFORM', 'RISKINTUNIFORM'], // (min, max)
  ['PSIDISCRETE', 'RISKDISCRETE'], // (values, weights)
  ['PSILOGNORMAL', 'RISKLOGNORM'], // (mean, standard deviation) of the variable itself
  ['PSILOGNORM2', 'RISKLOGNORM2'], // (mean, standard deviation) of its logarithm
  ['PSIBETA', 'RISKBETA'], // (alpha1, alpha2) shapes
  ['PSIBETAGEN', 'RISKBETAGENERAL'], // (alpha1, alpha2, min, max)
  ['PSIGAMMA', 'RISKGAMMA'], // (shape, scale), as Excel's GAMMA.DIST
  ['PSIWEIBULL', 'RISKWEIBULL'], // (shape, scale), as Excel's WEIBULL.DIST
  ['PSISTUDENT', 'RISKSTUDENT'], // (degrees of freedom)
  ['PSICHISQUARE', 'RISKCHISQ'], // (degrees of freedom)
  ['PSILOGISTIC', 'RISKLOGISTIC'], // (location, scale)
  ['PSICAUCHY', 'RISKCAUCHY'], // (location, scale)
  ['PSIMAXEXTREME', 'RISKEXTVALUE'], // (mode, scale): Gumbel for maxima
  ['PSIMINEXTREME', 'RISKEXTVALUEMIN'], // (mode, scale): Gumbel for minima
  ['PSIRAYLEIGH', 'RISKRAYLEIGH'], // (scale)
  ['PSINEGBINOMIAL', 'RISKNEGBIN'], // (successes, p): failures before the s-th success, as Excel's NEGBINOM.DIST
]);

/**
 * Psi property functions taken as the @RISK ones, when called with the arguments given here (any other
 * form, e.g. PsiTruncate's bounds in standard deviations, stays unknown and is refused by name).
 */
export const PSI_PROPERTIES: ReadonlyMap<string, { risk: string; maxArgs: number }> = new Map([
  ['PSITRUNCATE', { risk: 'RISKTRUNCATE', maxArgs: 3 }], // (min, max, type): type 1 (values) only
  ['PSISHIFT', { risk: 'RISKSHIFT', maxArgs: 1 }], // (shift)
  ['PSISEED', { risk: 'RISKSEED', maxArgs: 1 }], // (seed): the input's own stream
  ['PSICORRMATRIX', { risk: 'RISKCORRMAT', maxArgs: 3 }], // (matrix, position, instance)
]);
