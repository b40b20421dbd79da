// Loads the WebAssembly build; a failure shows a message instead of a blank page.
import init, { run_app } from './pkg/tunnelscope.js';

try {
  await init();
  run_app();
  // For `make bench-web`: when the app's first frame is on screen.
  requestAnimationFrame(() => requestAnimationFrame(() => performance.mark('tunnelscope-first-frame')));
} catch (error) {
  const banner = document.getElementById('panic');
  banner.textContent = `tunnelscope could not start: ${error}. Build it with "make serve".`;
  banner.className = 'panic shown';
  console.error(error);
}
