/**
 * The part of Office's custom functions runtime (CustomFunctionsRuntime 1.1) the MC.* functions use; the
 * runtime defines the global, and custom-functions-metadata reads these type names from functions.ts.
 */
declare namespace CustomFunctions {
  // biome-ignore lint/suspicious/noShadowRestrictedNames: the runtime's own name, CustomFunctions.Error
  class Error {
    constructor(code: string, message?: string);
  }
  const ErrorCode: { invalidValue: string; notAvailable: string };

  interface CancelableInvocation {
    /** The cell calling the function, "Sheet1!F2" (metadata requiresStreamAddress). */
    address?: string;
    /** Where each argument comes from, "Sheet1!B22" (metadata requiresStreamParameterAddresses). */
    parameterAddresses?: string[];
    /** Excel calls it when the cell no longer needs the function: the formula changed, the cell was cleared. */
    onCanceled: () => void;
  }

  interface StreamingInvocation<ResultType> extends CancelableInvocation {
    setResult: (value: ResultType | Error) => void;
  }
}
