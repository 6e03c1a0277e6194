// The Failures view (/failures): finished runs per day as a stacked bar chart and the top failure reasons, from
// /api/stats, for a window and optionally a stage, a pipeline and a platform; counted again when the feed reports a
// run that finished.
import { api } from './api.js';
import { causeTag, reasonNode } from './cells.js';
import { $, h, setText } from './dom.js';
import { connectFeed } from './feed.js';
import { counts, legend, SERIES, shareBar, shortDay, stackedBars } from './chart.js';

const TOP_REASONS = 8;
const RECOUNT_DELAY = 2000;  // runs finishing together are counted again once
const FILTERS = { since: 'failures-since', stage: 'failures-stage', pipeline: 'failures-pipeline', platform: 'failures-platform' };

let stats = null;
let focusedDay = null;
let request = 0;

export function startFailures() {
  $('failures-view').hidden = false;
  document.title = 'Failures — stagewatch';
  // the stages and their labels are the run list's
  for (const option of $('filter-stage').options) {
    if (option.value) $('failures-stage').append(new Option(option.textContent, option.value));
  }
  readFilters();

  for (const id of ['failures-since', 'failures-stage', 'failures-platform']) $(id).addEventListener('change', apply);
  let typing = null;
  $('failures-pipeline').addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(apply, 350);
  });
  $('failures-filters').addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(typing);
    apply();
  });
  let resizing = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizing);
    resizing = setTimeout(drawChart, 150);
  });
  loadChoices();

  let recount = null;
  connectFeed((event) => {
    if (event.status !== 'SUCCEEDED' && event.status !== 'FAILED') return;
    clearTimeout(recount);
    recount = setTimeout(load, RECOUNT_DELAY);
  }, load);
}

function readFilters() {
  const params = new URLSearchParams(location.search);
  for (const [name, id] of Object.entries(FILTERS)) {
    const value = (params.get(name) || '').trim();
    const select = $(id);
    if (!value) continue;
    // a platform the menu does not list yet is added, so that the address keeps it until the choices arrive
    if (name === 'platform' && ![...select.options].some((o) => o.value === value)) select.append(new Option(value, value));
    select.value = value;
  }
  if (!$('failures-since').value) $('failures-since').value = '7d';
}

function filterParams() {
  const params = new URLSearchParams();
  for (const [name, id] of Object.entries(FILTERS)) {
    const value = $(id).value.trim();
    if (value) params.set(name, value);
  }
  return params;
}

function apply() {
  const params = filterParams();
  if (params.get('since') === '7d') params.delete('since');
  history.replaceState(null, '', '/failures' + (params.toString() ? '?' + params : ''));
  load();
}

/** The pipelines and platforms the filters offer: those with a finished run in the longest window. */
async function loadChoices() {
  try {
    const [pipelines, platforms] = await Promise.all([api('/api/stats?since=90d&by=pipeline'),
      api('/api/stats?since=90d&by=platform')]);
    $('failures-pipelines').replaceChildren(...pipelines.groups.filter((g) => g.key !== 'none')
      .map((g) => h('option', { value: g.key })));
    const select = $('failures-platform');
    for (const group of platforms.groups) {
      if (![...select.options].some((o) => o.value === group.key)) select.append(new Option(group.key, group.key));
    }
  } catch (e) {
    // the filters still take what is typed
  }
}

async function load() {
  const mine = ++request;
  const params = filterParams();
  params.set('by', 'reason');
  try {
    const answer = await api('/api/stats?' + params);
    if (mine !== request) return;
    stats = answer;
    $('failures-error').hidden = true;
    render();
  } catch (e) {
    if (e.status === 401 || mine !== request) return;
    $('failures-error').textContent = 'Could not load the statistics: ' + e.message;
    $('failures-error').hidden = false;
  } finally {
    if (mine === request) document.body.dataset.state = 'ready';
  }
}

function render() {
  const sum = (key) => stats.days.reduce((total, day) => total + day[key], 0);
  const [succeeded, workload, infrastructure] = SERIES.map((s) => sum(s.key));
  const failed = workload + infrastructure;
  const span = $('failures-since').selectedOptions[0].textContent;
  setText($('failures-summary'), `${span}: ${succeeded + failed} runs finished, ${failed} failed (${workload} workload, `
    + `${infrastructure} infrastructure)`);
  $('chart-legend').replaceChildren(legend());
  drawChart();
  renderReasons();
}

function drawChart() {
  if (!stats) return;
  const box = $('chart');
  const hadFocus = box.contains(document.activeElement);
  const chart = stackedBars(stats.days, {
    width: Math.max(320, box.clientWidth),
    title: 'Finished runs per day, ' + $('failures-since').selectedOptions[0].textContent.toLowerCase(),
    focused: focusedDay,
    onFocus: (day) => {
      focusedDay = day.day;
      readOut(day);
    },
  });
  box.replaceChildren(chart);
  if (hadFocus) chart.querySelector('.bar[tabindex="0"]').focus();
  const shown = stats.days.find((d) => d.day === focusedDay) || stats.days[stats.days.length - 1];
  if (shown) readOut(shown);
}

/** The numbers of the bar last focused or pointed at, in words under the chart, for eyes as well as for ears. */
function readOut(day) {
  setText($('chart-readout'), shortDay(day.day) + ': ' + counts(day));
}

function renderReasons() {
  const reasons = stats.groups.filter((g) => g.failed > 0).slice(0, TOP_REASONS);
  const most = reasons.length ? reasons[0].failed : 1;
  $('reasons').replaceChildren(...reasons.map((g) => {
    const cause = g.workload >= g.infrastructure ? 'workload' : 'infrastructure';
    return h('li', { dataset: { reason: g.key } },
      h('div', { class: 'reason-line' }, reasonNode(g.key, g.text),
        h('strong', { class: 'reason-count num' }, g.failed + ' failed')),
      h('div', { class: 'reason-line' }, causeTag(cause.toUpperCase()), shareBar(cause, g.failed / most)));
  }));
  $('reasons').hidden = reasons.length === 0;
  $('reasons-empty').hidden = reasons.length > 0;
}
