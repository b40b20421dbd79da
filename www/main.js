// Loads the WebAssembly build; the live app then takes the place of the
// prerendered page (and sets the `tunnelscope-first-frame` mark once it
// answers input). A failure keeps the prerendered page and says why.
import init, { run_app } from './pkg/tunnelscope.js';

try {
  // The fetch boot.js started (if it ran), or a new one.
  await init({ module_or_path: window.tunnelscopeWasm });
  run_app();
} catch (error) {
  // A link whose view the page does not carry (an edited scenario, a
  // comparison) stays hidden: the page must not pass another view off as it.
  const pending = document.documentElement.classList.contains('pending');
  const banner = document.getElementById('panic');
  banner.textContent = pending
    ? `tunnelscope could not start (${error}), so the view in this link cannot be shown. Reload to try again.`
    : `tunnelscope could not start: ${error}. The page shows the scenario as it opens; reload to try again.`;
  banner.className = 'panic shown';
  console.error(error);
}
