/** backends/cuda/codegen.ts reads nextUp here; it lives in shared/distributions/base.ts. Kept until backends/ imports shared/ directly (issue 14). */
export { nextUp } from '../../../shared/distributions/base';
