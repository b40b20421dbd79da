// Runs before the first paint (a classic script in <head>). A share link of
// the older, fragment-only form goes to the page of what it names, so the
// page never shows another scenario first; a link that carries an edited
// scenario hides the prerendered view until the app shows the link's own.
// (The engine's .wasm is already on its way: the page's inline script,
// ahead of this one, started its fetch; see `engine_fetch` in src/site.rs.)
// The lists are written by `tunnelscope site`.
(function () {
  // A trap in the engine (a WebAssembly.RuntimeError such as "Out of bounds
  // memory access") ends the app without passing through Rust's panic
  // hook, so the page would go quiet: say so on the same banner. The first
  // message stays (the panic hook leaves a shown banner alone too): a panic
  // that follows a trap is only its consequence.
  var stopped = function (error) {
    if (typeof WebAssembly !== 'object' || !(error instanceof WebAssembly.RuntimeError)) return;
    var banner = document.getElementById('panic');
    if (!banner || / shown/.test(banner.className)) return;
    banner.textContent = 'tunnelscope stopped: ' + error.message + '. Reload the page; the link keeps your view.';
    banner.setAttribute('role', 'alert');
    banner.className = 'panic shown';
  };
  addEventListener('error', function (event) { stopped(event.error); });
  addEventListener('unhandledrejection', function (event) { stopped(event.reason); });
  // The site's root: this script lives there (the app writes its
  // addresses from it, whatever form the page's own address has).
  var root = document.currentScript.src.replace(/boot\.js(\?.*)?$/, '');
  window.tunnelscopeRoot = root;
  var scenarios = %SCENARIOS%;
  var symptoms = %SYMPTOMS%;
  var hash = location.hash.replace(/^#/, '');
  if (!hash) return;
  var parts = hash.split('&');
  var value = function (key) {
    for (var i = 0; i < parts.length; i++) {
      if (parts[i].indexOf(key + '=') === 0) return parts[i].slice(key.length + 1);
    }
    return null;
  };
  var without = function (keys) {
    return parts.filter(function (p) { return keys.indexOf(p.split('=')[0]) < 0; }).join('&');
  };
  var lib = value('lib');
  var sup = value('sup');
  if (value('s') === null) {
    if (lib !== null && scenarios.indexOf(lib) >= 0) {
      location.replace(root + 's/' + lib + '.html#' + without(['lib', 'sup']));
      return;
    }
    if (lib === null && sup !== null && symptoms.indexOf(sup) >= 0) {
      location.replace(root + 'support/' + sup + '.html#' + without(['sup']));
      return;
    }
  }
  // An edited scenario, or a name this site has no page for: the app
  // decides (and says what it could not read); until then, show no
  // scenario rather than another one. A comparison (`ab`) adds a second
  // drawing: the page would jump when it appears, so it waits too.
  if (value('s') !== null || lib !== null || sup !== null || value('ab') !== null) {
    document.documentElement.className += ' pending';
  }
})();
