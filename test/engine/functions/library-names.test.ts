/** The task pane checks workbooks against shared/'s list of the library's functions: it must be the library's. */
import { functionLibrary } from '../../../server/engine/functions';
import { LIBRARY_FUNCTIONS } from '../../../shared/functions/supported';

test("shared/functions/supported.ts lists exactly the engine library's functions", () => {
  const library = new Set(functionLibrary.keys());
  const missing = [...library].filter((name) => !LIBRARY_FUNCTIONS.has(name)).sort();
  const extra = [...LIBRARY_FUNCTIONS].filter((name) => !library.has(name)).sort();
  expect({ missing, extra }).toEqual({ missing: [], extra: [] });
});
