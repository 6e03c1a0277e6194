// The run list (/): runs grouped by pipeline, filtered, kept live by the feed.
import { api } from './api.js';
import { causeTag, durationNode, reasonNode, riskNode, stageNode, statusBadge, statusLabel, statusWords, timeNode } from './cells.js';
import { $, announce, h, setText, syncChildren } from './dom.js';
import { connectFeed } from './feed.js';
import { optionLabel } from './format.js';
import { countsSummary, keepCountsFresh } from './notifications.js';
import { forgetOldest, newestFirst, runs, setRisk, upsert } from './runs.js';

const LIST_LIMIT = 200;  // runs loaded from /api/runs per filter change
const MAX_ROWS = 500;    // rows drawn at once
export const LIST_URL_KEY = 'stagewatch.list';

const filters = { stage: '', status: '', cluster: '', pipeline: '' };
let listLoaded = false;
let listRequest = 0;

// Rows and pipeline tables are kept per run and per pipeline and only replaced when their run changed, so a live
// update never takes a link away from under a click, and moves as few nodes as it can.
const groupNodes = new Map();  // pipeline -> { section, tbody, counts }
const rowNodes = new Map();    // uid -> { run, tr, notify }
let groupIds = 0;

const countsDue = keepCountsFresh(
  () => [...rowNodes.values()].map((entry) => entry.run),
  (uids) => {
    for (const uid of uids) {
      const entry = rowNodes.get(uid);
      if (entry) entry.notify.replaceChildren(countsSummary(entry.run.notifications));
    }
  });

export function startList() {
  $('list-view').hidden = false;
  readFilters();
  rememberListUrl(location.pathname + location.search);

  $('filter-stage').addEventListener('change', applyFilters);
  $('filter-status').addEventListener('change', applyFilters);
  $('filter-cluster').addEventListener('change', applyFilters);
  loadClusters();
  let typing = null;
  $('filter-pipeline').addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(applyFilters, 350);
  });
  $('filter-pipeline').addEventListener('change', () => {
    clearTimeout(typing);
    if ($('filter-pipeline').value.trim() !== filters.pipeline) applyFilters();
  });
  $('filters').addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(typing);
    applyFilters();
  });
  $('filter-clear').addEventListener('click', () => {
    $('filter-stage').value = '';
    $('filter-status').value = '';
    $('filter-cluster').value = '';
    $('filter-pipeline').value = '';
    applyFilters();
  });

  connectFeed((event) => {
    const before = runs.get(event.uid);
    if (!upsert(event)) return;
    forgetOldest();
    const run = runs.get(event.uid);
    if (matches(run) && (!before || before.status !== run.status)) {
      announce((run.workflow || run.pod) + ': ' + statusWords(run));
    }
    scheduleRender();
  }, loadList, (change) => {
    if (setRisk(change)) scheduleRender();
  });
}

function readFilters() {
  const params = new URLSearchParams(location.search);
  filters.stage = optionLabel('filter-stage', params.get('stage')) ? params.get('stage') : '';
  filters.status = optionLabel('filter-status', params.get('status')) ? params.get('status') : '';
  filters.pipeline = (params.get('pipeline') || '').trim();
  filters.cluster = (params.get('cluster') || '').trim();
  $('filter-stage').value = filters.stage;
  $('filter-status').value = filters.status;
  addClusterChoice(filters.cluster);
  $('filter-cluster').value = filters.cluster;
  $('filter-pipeline').value = filters.pipeline;
}

function writeFilters() {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  const url = '/' + (params.toString() ? '?' + params : '');
  history.replaceState(null, '', url);
  rememberListUrl(url);
}

function rememberListUrl(url) {
  try {
    sessionStorage.setItem(LIST_URL_KEY, url);
  } catch (e) {
    // not kept: the detail view links to / instead
  }
}

function applyFilters() {
  filters.stage = $('filter-stage').value;
  filters.status = $('filter-status').value;
  filters.cluster = $('filter-cluster').value;
  filters.pipeline = $('filter-pipeline').value.trim();
  writeFilters();
  scheduleRender();
  loadList();
}

function matches(run) {
  return (!filters.stage || run.stage === filters.stage)
    && (!filters.status || run.status === filters.status)
    && (!filters.cluster || run.cluster === filters.cluster)
    && (!filters.pipeline || run.pipeline === filters.pipeline);
}

/**
 * The clusters the database knows: with more than one, the list shows a cluster column and filter. A cluster named
 * in the address is shown (and filters) whatever the answer.
 */
async function loadClusters() {
  let names = [];
  try {
    names = await api('/api/clusters');
  } catch (e) {
    // the column and the filter stay hidden; the list itself says what failed to load
  }
  names.forEach(addClusterChoice);
  const many = names.length > 1 || Boolean(filters.cluster);
  document.body.dataset.clusters = many ? 'many' : 'one';
  $('filter-cluster-field').hidden = !many;
  $('filter-cluster').value = filters.cluster;
}

function addClusterChoice(name) {
  const select = $('filter-cluster');
  if (name && ![...select.options].some((option) => option.value === name)) select.append(new Option(name, name));
}

async function loadList() {
  const request = ++listRequest;
  const params = new URLSearchParams({ limit: String(LIST_LIMIT) });
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  try {
    const page = await api('/api/runs?' + params);
    page.items.forEach(upsert);
    forgetOldest();
    if (request === listRequest) $('list-error').hidden = true;
  } catch (e) {
    if (request === listRequest && e.status !== 401) {
      $('list-error').textContent = 'Could not load runs: ' + e.message;
      $('list-error').hidden = false;
    }
  }
  if (request === listRequest) {
    listLoaded = true;
    document.body.dataset.state = 'ready';
    scheduleRender();
  }
}

let renderPending = false;
function scheduleRender() {
  if (renderPending) return;
  renderPending = true;
  requestAnimationFrame(() => {
    renderPending = false;
    renderList();
  });
}

function renderList() {
  const shown = [...runs.values()].filter(matches).sort(newestFirst);
  const drawn = shown.slice(0, MAX_ROWS);

  const groups = new Map();
  for (const run of drawn) {
    const key = run.pipeline || '';
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(run);
  }
  const names = [...groups.keys()].sort((a, b) => (a === '') - (b === '') || a.localeCompare(b));

  const focused = document.activeElement && document.activeElement.closest && document.activeElement.closest('tr[data-uid]');
  const focusUid = focused && $('groups').contains(focused) ? focused.dataset.uid : null;

  for (const [uid, entry] of rowNodes) {
    const run = runs.get(uid);
    if (!run || entry.run !== run || !matches(run)) dropRow(uid);
  }
  for (const name of [...groupNodes.keys()]) if (!groups.has(name)) groupNodes.delete(name);

  syncChildren($('groups'), names.map((name) => {
    const list = groups.get(name);
    const group = groupNodes.get(name) || makeGroup(name);
    groupNodes.set(name, group);
    group.counts.textContent = groupCounts(list);
    syncChildren(group.tbody, list.map(rowFor));
    return group.section;
  }));
  const drawnUids = new Set(drawn.map((run) => run.uid));
  for (const uid of [...rowNodes.keys()]) if (!drawnUids.has(uid)) dropRow(uid);

  // keep keyboard focus on the same run when its row was replaced
  if (focusUid && !$('groups').contains(document.activeElement) && rowNodes.has(focusUid)) {
    rowNodes.get(focusUid).tr.querySelector('a').focus({ preventScroll: true });
  }

  const count = (status) => shown.filter((run) => run.status === status).length;
  const parts = [shown.length + (shown.length === 1 ? ' run' : ' runs')];
  for (const status of ['RUNNING', 'PENDING', 'FAILED', 'SUCCEEDED']) {
    const n = count(status);
    if (n) parts.push(n + ' ' + statusLabel(status).toLowerCase());
  }
  setText($('list-summary'), listLoaded ? parts.join(' · ') : '');

  const empty = $('list-empty');
  empty.hidden = !listLoaded || shown.length > 0;
  setText(empty, runs.size === 0 ? 'No runs yet. Runs appear here as soon as stagewatch sees a workflow pod.'
    : 'No runs match these filters.');
  const more = $('list-more');
  more.hidden = shown.length <= drawn.length;
  setText(more, 'Showing the newest ' + drawn.length + ' of ' + shown.length + ' runs. Narrow the filters to see the others.');

  updatePipelineChoices();
  countsDue();
}

function rowFor(run) {
  const known = rowNodes.get(run.uid);
  if (known && known.run === run) return known.tr;
  const notify = h('td', { class: 'notify' }, countsSummary(run.notifications));
  const tr = runRow(run, notify);
  rowNodes.set(run.uid, { run, tr, notify });
  return tr;
}

function dropRow(uid) {
  const entry = rowNodes.get(uid);
  if (!entry) return;
  rowNodes.delete(uid);
  entry.tr.remove();
}

function groupCounts(list) {
  const failed = list.filter((run) => run.status === 'FAILED').length;
  const active = list.filter((run) => run.status === 'RUNNING' || run.status === 'PENDING').length;
  const counts = [list.length + (list.length === 1 ? ' run' : ' runs')];
  if (active) counts.push(active + ' active');
  if (failed) counts.push(failed + ' failed');
  return counts.join(' · ');
}

function makeGroup(name) {
  const id = 'group-' + (++groupIds);
  const counts = h('span', { class: 'group-counts' });
  const tbody = h('tbody');
  const section = h('section', { class: 'group panel', 'aria-labelledby': id },
    h('table', { class: 'grid runs' },
      h('caption', null,
        h('h2', { id, class: 'group-title' },
          name ? h('span', { class: 'pipeline-label' }, 'Pipeline ') : null,
          name ? name : 'No pipeline'),
        counts),
      h('thead', null, h('tr', null,
        h('th', { scope: 'col', class: 'col-workflow' }, 'Workflow'),
        h('th', { scope: 'col', class: 'col-cluster' }, 'Cluster'),
        h('th', { scope: 'col', class: 'col-stage' }, 'Stage'),
        h('th', { scope: 'col', class: 'col-status' }, 'Status'),
        h('th', { scope: 'col', class: 'col-cause' }, 'Cause'),
        h('th', { scope: 'col', class: 'col-reason' }, 'Reason'),
        h('th', { scope: 'col', class: 'col-started' }, 'Created'),
        h('th', { scope: 'col', class: 'col-duration' }, 'Duration'),
        h('th', { scope: 'col', class: 'col-notify' }, 'Notifications'))),
      tbody));
  return { section, tbody, counts };
}

function runRow(run, notify) {
  return h('tr', { dataset: { uid: run.uid, status: run.status || '' }, class: 'row-' + String(run.status).toLowerCase() },
    h('th', { scope: 'row', class: 'workflow' },
      h('a', { href: '/runs/' + encodeURIComponent(run.uid), class: 'run-link' }, run.workflow || run.pod || run.uid),
      h('span', { class: 'sub' }, [run.namespace, run.pod].filter(Boolean).join(' / '))),
    h('td', { class: 'col-cluster' }, run.cluster || ''),
    h('td', null, stageNode(run.stage), h('span', { class: 'sub platform' }, run.platform || '')),
    h('td', { class: 'status' }, statusBadge(run.status)),
    h('td', null, causeTag(run.cause)),
    h('td', { class: 'reason-cell' },
      reasonNode(run.reason, run.reasonText),
      run.message ? h('span', { class: 'message', title: run.message }, run.message) : null,
      riskNode(run)),
    h('td', { class: 'nowrap' }, timeNode(run.createdAt, true)),
    h('td', { class: 'nowrap num' }, durationNode(run)),
    notify);
}

let knownPipelines = '';
function updatePipelineChoices() {
  const names = [...new Set([...runs.values()].map((run) => run.pipeline).filter(Boolean))].sort();
  const key = names.join('\n');
  if (key === knownPipelines) return;
  knownPipelines = key;
  $('pipelines').replaceChildren(...names.map((name) => h('option', { value: name })));
}
