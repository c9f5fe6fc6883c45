/** backends/cuda/codegen.ts reads betaLn here; the special functions live in shared/numeric/special.ts. Kept until backends/ imports shared/ directly (issue 14). */
export { betaLn } from '../../../shared/numeric/special';
