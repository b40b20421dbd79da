// The drawing's labels stay readable: on five scenarios, at a phone's
// width (390 px) and a desktop's (1280 px), no label of a drawing overlaps
// another, and no line crosses a label unless the label has a halo (a
// stroke in the background colour painted under its letters). Measured on
// the served site after the app takes over, by the boxes the browser lays
// out (painter's order does not matter for an overlap).
//
//   make www && node tests/e2e/labels.mjs
//
// Prints one line per scenario and width and last `labels: N checked, M
// problems`; exits 0 only with none.

import { launchChromium, serve } from './serve.mjs';

const scenarios = ['localnet-with-ian', 'ian-ios16-1-apple-leak', 'mullvad-force-all-apps', 'wifi-to-cellular', 'tunnelvision-without-ian'];

/** In the page: each visible drawing's label overlaps and crossings. */
const measure = () => {
  const inside = (r) => r.width > 0 && r.height > 0;
  const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  // Does the segment p–q pass through the rectangle r (shrunk by a pixel)?
  const crosses = (p, q, r) => {
    const [l, t, rr, b] = [r.left + 1, r.top + 1, r.right - 1, r.bottom - 1];
    let [t0, t1] = [0, 1];
    const [dx, dy] = [q.x - p.x, q.y - p.y];
    for (const [pp, qq] of [[-dx, p.x - l], [dx, rr - p.x], [-dy, p.y - t], [dy, b - p.y]]) {
      if (pp === 0) { if (qq < 0) return false; continue; }
      const u = qq / pp;
      if (pp < 0) t0 = Math.max(t0, u); else t1 = Math.min(t1, u);
      if (t0 > t1) return false;
    }
    return true;
  };
  const haloed = (text) => {
    const style = getComputedStyle(text);
    return style.paintOrder.startsWith('stroke') && parseFloat(style.strokeWidth) >= 2 && style.stroke !== 'none';
  };
  const out = { labels: 0, overlaps: [], crossed: [], haloed: 0 };
  for (const svg of document.querySelectorAll('.topology svg')) {
    if (!inside(svg.getBoundingClientRect())) continue;
    // Labels, not the packets gliding over everything (a dropped one is a ✕).
    const texts = [...svg.querySelectorAll('text:not(.packet)')].filter((t) => t.textContent.trim() && inside(t.getBoundingClientRect()));
    const boxes = texts.map((t) => t.getBoundingClientRect());
    out.labels += texts.length;
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        if (overlap(boxes[i], boxes[j])) out.overlaps.push(`"${texts[i].textContent}" / "${texts[j].textContent}"`);
      }
    }
    const matrix = svg.getScreenCTM();
    const segments = [];
    for (const shape of svg.querySelectorAll('line, polyline')) {
      if (!inside(shape.getBoundingClientRect()) && shape.tagName === 'polyline') continue;
      const points = shape.tagName === 'line'
        ? [[shape.x1.baseVal.value, shape.y1.baseVal.value], [shape.x2.baseVal.value, shape.y2.baseVal.value]]
        : [...shape.points].map((p) => [p.x, p.y]);
      const screen = points.map(([x, y]) => new DOMPoint(x, y).matrixTransform(matrix));
      for (let k = 1; k < screen.length; k++) segments.push([screen[k - 1], screen[k]]);
    }
    texts.forEach((text, i) => {
      if (!segments.some(([p, q]) => crosses(p, q, boxes[i]))) return;
      if (haloed(text)) out.haloed += 1; else out.crossed.push(`"${text.textContent}"`);
    });
  }
  return out;
};

const { origin, stop } = await serve(20000 + (process.pid % 1000));
const browser = await launchChromium();
let checked = 0;
let problems = 0;
try {
  for (const [width, height] of [[390, 844], [1280, 800]]) {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    for (const name of scenarios) {
      await page.goto(`${origin}/s/${name}.html`);
      await page.waitForFunction(() => document.documentElement.dataset.live && !document.querySelector('[data-prerendered]'), null, { timeout: 20000 });
      const found = await page.evaluate(measure);
      checked += 1;
      const bad = found.overlaps.length + found.crossed.length;
      problems += bad;
      console.log(`${bad === 0 ? 'ok  ' : 'FAIL'}  ${width} px ${name}: ${found.labels} labels, ${found.overlaps.length} overlapping pairs, ${found.crossed.length} crossed by a line (${found.haloed} crossed under a halo)`);
      for (const o of found.overlaps.slice(0, 6)) console.log(`        overlap: ${o}`);
      for (const c of found.crossed.slice(0, 6)) console.log(`        crossed: ${c}`);
    }
    await context.close();
  }
} finally {
  await browser.close();
  stop();
}
console.log(`labels: ${checked} drawings checked, ${problems} problems`);
process.exit(problems === 0 ? 0 : 1);
