// Loads the WebAssembly build; the live app then takes the place of the
// prerendered page (and sets the `tunnelscope-first-frame` mark once it
// answers input). A failure keeps the prerendered page and says why.
import init, { run_app } from './pkg/tunnelscope.js';

try {
  // The fetch boot.js started (if it ran), or a new one.
  await init({ module_or_path: window.tunnelscopeWasm });
  run_app();
} catch (error) {
  const banner = document.getElementById('panic');
  banner.textContent = `tunnelscope could not start: ${error}. The page shows the scenario as it opens; reload to try again.`;
  banner.className = 'panic shown';
  document.documentElement.classList.remove('pending');
  console.error(error);
}
