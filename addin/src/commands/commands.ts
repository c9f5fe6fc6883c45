/// <reference types="office-js" />
/**
 * Ribbon commands. The Montecell button only opens the task pane (ShowTaskpane in manifest.xml), which
 * needs no code; this entry registers the runtime so Office knows the shared runtime is ready.
 */
if (typeof Office !== 'undefined') {
  Office.onReady(() => undefined);
}
