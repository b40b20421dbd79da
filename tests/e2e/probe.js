// Added ahead of every page's scripts by tests/e2e/webkit-stress.mjs (never
// part of the site): records script errors from the page's first line on,
// with their stacks (WebKit names Wasm frames `wasm-function[N]`), and
// reads how much of the Wasm shadow stack was used.
(function () {
  if (window.__probe) return;
  var errors = [];
  var describe = function (kind, value) {
    var stack = value && value.stack ? String(value.stack).split('\n').slice(0, 40).join(' <- ') : '';
    return kind + ': ' + String(value && value.message !== undefined ? value.message : value) + (stack ? ' [stack: ' + stack + ']' : '');
  };
  var sp = function () {
    var exports = window.__wasm;
    return exports && exports.__sp ? exports.__sp.value : null;
  };
  addEventListener('error', function (e) { errors.push(describe('error', e.error || e.message) + ' {stack pointer ' + sp() + '}'); });
  addEventListener('unhandledrejection', function (e) { errors.push(describe('unhandled rejection', e.reason)); });
  var orig = console.error;
  console.error = function () {
    errors.push('console.error: ' + Array.prototype.map.call(arguments, function (a) { return describe('', a); }).join(' '));
    return orig.apply(console, arguments);
  };
  // With a module that exports its stack pointer (`__sp`, added by the
  // stress tools): between tasks no Rust code runs, so the pointer must be
  // back at its top; anything else is stack that a call never gave back.
  var top = null;
  var low = null;
  var seen = {};
  setInterval(function () {
    var v = sp();
    if (v === null) return;
    if (top === null) top = v;
    if (low === null || v < low) low = v;
    if (v !== top && !seen[v]) {
      seen[v] = true;
      var what = 'stack pointer at ' + v + ' between tasks (its top is ' + top + ')';
      errors.push(what);
      console.error(what); // seen by a test's own listeners too
    }
  }, 10);
  window.__probe = {
    stackPointer: function () { return { now: sp(), top: top, lowestBetweenTasks: low }; },
    errors: errors,
    // The shadow stack is the start of linear memory (rustc links wasm
    // with --stack-first) and starts zeroed: the lowest non-zero byte is
    // as deep as it has been. Returns the bytes never reached (0: it ran
    // out), or null before the module is instantiated.
    stackUsed: function () {
      var exports = window.__wasm;
      if (!exports || !exports.memory) return null;
      var bytes = new Uint8Array(exports.memory.buffer, 0, Math.min(exports.memory.buffer.byteLength, 16 << 20));
      for (var i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return i;
      return bytes.length;
    },
    memoryBytes: function () {
      var exports = window.__wasm;
      return exports && exports.memory ? exports.memory.buffer.byteLength : null;
    },
  };
})();
