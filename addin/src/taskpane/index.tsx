/// <reference types="office-js" />
import { createRoot } from 'react-dom/client';
import { App } from './App';

function render(): void {
  createRoot(document.getElementById('root')!).render(<App />);
}

// Office.onReady also resolves outside Office (a plain browser), so the pane always renders
if (typeof Office !== 'undefined') Office.onReady(render);
else render();
