// A stacked bar chart of runs per day, drawn as SVG by the page itself (the page loads nothing from another host).
// It reads without colour: each series has its own pattern (solid, stripes, dots), the legend shows the same
// patterns, a segment tall enough carries its number, and every bar says its numbers in a <title> and in the label a
// screen reader reads. One bar is in the tab order and the arrow keys move between bars (a roving tabindex), so a
// window of 90 days is one tab stop, not 90.

const SVG = 'http://www.w3.org/2000/svg';
const HEIGHT = 280;
const MARGIN = { top: 14, right: 20, bottom: 30, left: 52 };
const MIN_LABEL_GAP = 64;  // px between two day labels of the x axis
const MIN_SEGMENT_LABEL = 16;  // px of height a segment needs to carry its number

/** Bottom to top; `word` is how a bar's label names the series. */
export const SERIES = [
  { key: 'succeeded', label: 'Succeeded', word: 'succeeded' },
  { key: 'workload', label: 'Workload failures', word: 'workload' },
  { key: 'infrastructure', label: 'Infrastructure failures', word: 'infrastructure' },
];

const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

function svg(tag, attributes, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, String(value));
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

/** "12 succeeded, 3 workload, 2 infrastructure" */
export function counts(day) {
  return SERIES.map((s) => day[s.key] + ' ' + s.word).join(', ');
}

/** A UTC date (2026-11-29) as a short date of the reader's language (Nov 29). */
export function shortDay(day) {
  return dayFormat.format(new Date(day + 'T00:00:00Z'));
}

/** Solid for succeeded, stripes for workload failures, dots for infrastructure failures. */
function patterns() {
  const tile = (key, size, extra, ...ink) => svg('pattern', { id: 'pattern-' + key, class: 'series-' + key,
    width: size, height: size, patternUnits: 'userSpaceOnUse', ...extra },
  svg('rect', { class: 'tile', width: size, height: size }), ...ink);
  return svg('defs', null,
    tile('succeeded', 8, {}),
    tile('workload', 8, { patternTransform: 'rotate(45)' }, svg('rect', { class: 'ink', width: 3, height: 8 })),
    tile('infrastructure', 7, {}, svg('circle', { class: 'ink', cx: 3.5, cy: 3.5, r: 1.8 })));
}

/** A round top for the axis: 0, then four steps of 1, 2 or 5 times a power of ten. */
function scale(largest) {
  if (largest <= 0) return { top: 4, step: 1 };
  const rough = largest / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, [1, 2, 5, 10].find((m) => m * power >= rough) * power);
  return { top: Math.ceil(largest / step) * step, step };
}

/** The legend: one swatch per series, filled with the chart's pattern. */
export function legend() {
  const list = document.createElement('ul');
  list.className = 'legend';
  for (const series of SERIES) {
    const item = document.createElement('li');
    item.append(svg('svg', { class: 'swatch', width: 16, height: 16, 'aria-hidden': 'true' },
      svg('rect', { x: 0.5, y: 0.5, width: 15, height: 15, rx: 2, fill: 'url(#pattern-' + series.key + ')' })),
    series.label);
    list.append(item);
  }
  return list;
}

/** A bar `share` (0 to 1) of the width of its box, in a series' pattern. */
export function shareBar(key, share) {
  return svg('svg', { class: 'share-bar', 'aria-hidden': 'true' },
    svg('rect', { width: Math.max(1, Math.round(share * 100)) + '%', height: '100%', rx: 2, fill: 'url(#pattern-' + key + ')' }));
}

/**
 * The chart of days ({day, succeeded, workload, infrastructure}, oldest first), `width` pixels wide. `focused` is the
 * day whose bar takes the tab stop (else the last); onFocus(day) runs when a bar gets focus or the pointer.
 */
export function stackedBars(days, { width, title, focused, onFocus }) {
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const bottom = MARGIN.top + plotHeight;
  const totals = days.map((d) => SERIES.reduce((sum, s) => sum + d[s.key], 0));
  const { top, step } = scale(Math.max(0, ...totals));
  const y = (value) => bottom - (value / top) * plotHeight;
  const slot = plotWidth / Math.max(1, days.length);
  const barWidth = Math.max(2, Math.min(56, slot * 0.72));
  const labelEvery = Math.ceil(MIN_LABEL_GAP / slot);

  const chart = svg('svg', { class: 'chart', width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, role: 'group',
    'aria-label': title }, patterns());

  const grid = svg('g', { class: 'axis y-axis', 'aria-hidden': 'true' });
  for (let value = 0; value <= top; value += step) {
    grid.append(svg('line', { class: value === 0 ? 'baseline' : 'gridline', x1: MARGIN.left, x2: width - MARGIN.right,
      y1: y(value), y2: y(value) }));
    grid.append(svg('text', { x: MARGIN.left - 8, y: y(value), 'text-anchor': 'end', 'dominant-baseline': 'middle' },
      value));
  }
  chart.append(grid);

  const ticks = svg('g', { class: 'axis x-axis', 'aria-hidden': 'true' });
  const bars = svg('g', { class: 'bars' });
  const found = days.findIndex((d) => d.day === focused);
  const tabStop = found >= 0 ? found : days.length - 1;
  days.forEach((day, i) => {
    const center = MARGIN.left + slot * (i + 0.5);
    // the newest day is always labelled, and every labelEvery-th one back from it
    if ((days.length - 1 - i) % labelEvery === 0) {
      ticks.append(svg('line', { x1: center, x2: center, y1: bottom, y2: bottom + 4 }));
      ticks.append(svg('text', { x: center, y: bottom + 18, 'text-anchor': 'middle' }, shortDay(day.day)));
    }
    const label = day.day + ': ' + counts(day);
    const bar = svg('g', { class: 'bar', tabindex: i === tabStop ? 0 : -1, role: 'img',
      'aria-label': label, 'data-day': day.day }, svg('title', null, label),
    svg('rect', { class: 'bar-hit', x: MARGIN.left + slot * i + 1, y: MARGIN.top, width: Math.max(1, slot - 2),
      height: plotHeight, rx: 3 }));
    let base = 0;
    for (const series of SERIES) {
      const count = day[series.key];
      if (count <= 0) continue;
      const y0 = y(base + count);
      const height = y(base) - y0;
      bar.append(svg('rect', { class: 'segment', 'data-series': series.key, x: center - barWidth / 2, y: y0,
        width: barWidth, height, fill: 'url(#pattern-' + series.key + ')' }));
      if (height >= MIN_SEGMENT_LABEL && barWidth >= 18) {
        bar.append(svg('text', { class: 'segment-label', x: center, y: y0 + height / 2, 'text-anchor': 'middle',
          'dominant-baseline': 'central', 'aria-hidden': 'true' }, count));
      }
      base += count;
    }
    bar.addEventListener('focus', () => onFocus(day));
    bar.addEventListener('mouseenter', () => onFocus(day));
    bars.append(bar);
  });
  chart.append(ticks, bars);

  bars.addEventListener('keydown', (event) => {
    const all = [...bars.children];
    const at = all.indexOf(event.target);
    const to = { ArrowLeft: at - 1, ArrowRight: at + 1, Home: 0, End: all.length - 1 }[event.key];
    if (at < 0 || to == null || to < 0 || to >= all.length) return;
    event.preventDefault();
    all[at].setAttribute('tabindex', '-1');
    all[to].setAttribute('tabindex', '0');
    all[to].focus();
  });
  return chart;
}
