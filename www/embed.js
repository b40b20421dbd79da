// Learn pages: the text is already on the page; this mounts the live
// scenarios into it. A failure leaves the text and says why.
import init, { run_embeds } from './pkg/tunnelscope.js';

try {
  await init();
  run_embeds();
  requestAnimationFrame(() => requestAnimationFrame(() => performance.mark('tunnelscope-embeds')));
} catch (error) {
  const banner = document.getElementById('panic');
  if (banner) {
    banner.textContent = `The live scenarios could not start (${error}); the text above and below still explains everything.`;
    banner.className = 'panic shown';
  }
  console.error(error);
}
