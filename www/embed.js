// Learn pages: the text and each scenario's drawing are already on the page;
// this makes the scenarios live. A failure leaves the page as it is and
// says why.
import init, { run_embeds } from './pkg/tunnelscope.js';

try {
  // The fetch boot.js started (if it ran), or a new one.
  await init({ module_or_path: window.tunnelscopeWasm });
  run_embeds();
} catch (error) {
  const banner = document.getElementById('panic');
  if (banner) {
    banner.textContent = `The live scenarios could not start (${error}); the text and drawings still explain everything.`;
    banner.className = 'panic shown';
  }
  console.error(error);
}
