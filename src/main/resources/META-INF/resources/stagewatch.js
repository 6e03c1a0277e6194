// stagewatch status page: the run list (/) and a run's detail view (/runs/{uid}).
// Plain DOM, no framework. Text from pods and the API only ever goes into the page through text nodes (textContent,
// append) and attributes set with setAttribute: never through innerHTML.
'use strict';

(() => {
  const LIST_LIMIT = 200;        // runs loaded from /api/runs per filter change
  const MAX_ROWS = 500;          // rows drawn at once
  const MAX_RUNS = 2000;         // runs kept in memory; the oldest are forgotten beyond it
  const NOTIFY_CONCURRENCY = 3;  // notification look-ups in flight at once
  const FIRST_OPEN_WAIT = 3000;  // load anyway when the feed has not opened by then
  const TOKEN_KEY = 'stagewatch.token';
  const LIST_URL_KEY = 'stagewatch.list';

  const STATUSES = {
    PENDING: { label: 'Pending', icon: '○', rank: 0 },
    RUNNING: { label: 'Running', icon: '▶', rank: 1 },
    SUCCEEDED: { label: 'Succeeded', icon: '✓', rank: 2 },
    FAILED: { label: 'Failed', icon: '✕', rank: 2 },
  };
  const STAGES = { CI: 'CI', PRE_CD: 'Pre-CD', POST_CD: 'Post-CD' };
  const CAUSES = { WORKLOAD: 'Workload', INFRASTRUCTURE: 'Infrastructure' };
  const REASONS = {
    EXIT_CODE: 'Non-zero exit code',
    OOM_KILLED: 'Out of memory',
    INIT_FAILED: 'Init container failed',
    DEADLINE_EXCEEDED: 'Deadline exceeded',
    START_TIMEOUT: 'Never started',
    NODE_SHUTDOWN: 'Node shutdown',
    NODE_LOST: 'Node lost',
    EVICTED: 'Evicted',
    PREEMPTED: 'Preempted',
    DISRUPTED: 'Disrupted',
    ADMISSION_REJECTED: 'Rejected by the node',
    CONTAINER_LOST: 'Container lost',
    POD_DELETED: 'Pod deleted',
    POD_VANISHED: 'Pod vanished',
    UNKNOWN: 'Unknown termination',
  };
  const EVENTS = { STARTED: 'Started', SUCCEEDED: 'Succeeded', FAILED: 'Failed' };
  const DELIVERIES = {
    PENDING: { label: 'Pending', icon: '…' },
    SENT: { label: 'Sent', icon: '✓' },
    DEAD: { label: 'Dead', icon: '✕' },
  };
  const SOURCES = { WATCH: 'Watch', RECONCILE: 'Reconcile' };

  const $ = (id) => document.getElementById(id);

  // --- DOM building: strings become text nodes, never markup --------------------------------------------------

  function h(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value == null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'dataset') Object.assign(node.dataset, value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child == null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** An empty value: a dash to the eye, "none" to a screen reader. */
  function none() {
    return h('span', { class: 'none' }, h('span', { 'aria-hidden': 'true' }, '—'), h('span', { class: 'visually-hidden' }, 'none'));
  }

  function text(value) {
    return value == null || value === '' ? none() : String(value);
  }

  function statusBadge(status) {
    const known = STATUSES[status] || { label: String(status || 'Unknown'), icon: '?' };
    return h('span', { class: 'badge status-' + String(status || 'unknown').toLowerCase(), dataset: { status: status || '' } },
      h('span', { class: 'badge-icon', 'aria-hidden': 'true' }, known.icon), known.label);
  }

  function deliveryBadge(status) {
    const known = DELIVERIES[status] || { label: String(status), icon: '?' };
    return h('span', { class: 'badge delivery-' + String(status).toLowerCase() },
      h('span', { class: 'badge-icon', 'aria-hidden': 'true' }, known.icon), known.label);
  }

  function causeTag(cause) {
    if (!cause) return none();
    return h('span', { class: 'cause cause-' + cause.toLowerCase() }, CAUSES[cause] || cause);
  }

  function reasonNode(reason) {
    if (!reason) return none();
    return h('span', { class: 'reason' }, REASONS[reason] || reason, ' ', h('code', null, reason));
  }

  function timeNode(iso, relativeToo) {
    if (!iso) return none();
    const props = { datetime: iso, title: absolute(iso) };
    if (relativeToo) props.dataset = { relative: '' };
    return h('time', props, relativeToo ? relative(iso) : absolute(iso));
  }

  // --- time ----------------------------------------------------------------------------------------------------

  const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
  const relativeTime = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

  function millis(iso) {
    const t = iso ? Date.parse(iso) : NaN;
    return Number.isNaN(t) ? null : t;
  }

  function absolute(iso) {
    const t = millis(iso);
    return t == null ? '' : dateTime.format(new Date(t));
  }

  function relative(iso) {
    const t = millis(iso);
    if (t == null) return '';
    const seconds = Math.round((t - Date.now()) / 1000);
    const abs = Math.abs(seconds);
    if (abs < 45) return 'just now';
    if (abs < 3600) return relativeTime.format(Math.round(seconds / 60), 'minute');
    if (abs < 86400) return relativeTime.format(Math.round(seconds / 3600), 'hour');
    return relativeTime.format(Math.round(seconds / 86400), 'day');
  }

  function formatDuration(ms) {
    const s = Math.max(0, Math.floor(ms / 1000));
    const pad = (n) => String(n).padStart(2, '0');
    if (s < 60) return s + 's';
    const m = Math.floor(s / 60);
    if (m < 60) return m + 'm ' + pad(s % 60) + 's';
    const hours = Math.floor(m / 60);
    if (hours < 24) return hours + 'h ' + pad(m % 60) + 'm';
    return Math.floor(hours / 24) + 'd ' + (hours % 24) + 'h';
  }

  /** The run's duration: from its first container start to its end, still growing while it runs. */
  function durationNode(run) {
    const start = millis(run.startedAt);
    if (start == null) return none();
    const terminal = run.status === 'SUCCEEDED' || run.status === 'FAILED';
    const end = millis(run.finishedAt) ?? (terminal ? millis(run.updatedAt) : null);
    if (end == null) {
      return h('span', { class: 'duration live', dataset: { since: String(start) } }, formatDuration(Date.now() - start));
    }
    return h('span', { class: 'duration' }, formatDuration(end - start));
  }

  function tick() {
    for (const node of document.querySelectorAll('[data-since]')) {
      node.textContent = formatDuration(Date.now() - Number(node.dataset.since));
    }
  }

  function refreshRelativeTimes() {
    for (const node of document.querySelectorAll('time[data-relative]')) {
      node.textContent = relative(node.getAttribute('datetime'));
    }
  }

  // --- the API -------------------------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, detail) {
      super(detail);
      this.status = status;
    }
  }

  function token() {
    try {
      return sessionStorage.getItem(TOKEN_KEY);
    } catch (e) {
      return null;
    }
  }

  async function api(path) {
    const headers = { Accept: 'application/json' };
    const bearer = token();
    if (bearer) headers.Authorization = 'Bearer ' + bearer;
    let response;
    try {
      response = await fetch(path, { headers, cache: 'no-store' });
    } catch (e) {
      throw new ApiError(0, 'stagewatch could not be reached.');
    }
    if (response.status === 401) {
      askForToken(bearer != null);
      throw new ApiError(401, 'An access token is required.');
    }
    if (!response.ok) {
      let detail = response.statusText || 'HTTP ' + response.status;
      try {
        const problem = await response.json();
        detail = problem.detail || problem.title || detail;
      } catch (e) {
        // not a problem document: keep the status text
      }
      throw new ApiError(response.status, detail);
    }
    return response.json();
  }

  function askForToken(rejected) {
    const form = $('token-form');
    if (!form.hidden) return;
    $('list-view').hidden = true;
    $('detail-view').hidden = true;
    form.hidden = false;
    if (rejected) {
      form.querySelector('p').textContent = 'The token given is not valid. Enter another one.';
    }
    $('token-input').focus();
  }

  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    try {
      sessionStorage.setItem(TOKEN_KEY, $('token-input').value.trim());
    } catch (e) {
      // storage refused: the page asks again
    }
    location.reload();
  });

  // --- the live feed -------------------------------------------------------------------------------------------

  /**
   * Keeps one EventSource open on /api/feed. The browser reconnects by itself and sends Last-Event-ID, so the server
   * replays every transition missed meanwhile. When the browser gives up (an HTTP error), this reconnects itself with
   * ?after= the last id seen. onReady runs once the feed is open (then the caller loads its data, so no transition
   * falls between the load and the feed), and again after a reconnect that cannot resume (no event seen yet).
   */
  function connectFeed(onEvent, onReady) {
    let lastId = null;
    let ready = false;
    let retryDelay = 2000;
    let source = null;

    const becomeReady = () => {
      if (!ready) {
        ready = true;
        onReady();
      }
    };
    const fallback = setTimeout(becomeReady, FIRST_OPEN_WAIT);

    const open = () => {
      const params = new URLSearchParams();
      if (lastId != null) params.set('after', lastId);
      const bearer = token();
      if (bearer) params.set('access_token', bearer);
      const query = params.toString();
      let disconnected = false;
      source = new EventSource('/api/feed' + (query ? '?' + query : ''));
      source.addEventListener('open', () => {
        setFeedState('live');
        retryDelay = 2000;
        clearTimeout(fallback);
        if (!ready) {
          becomeReady();
        } else if (disconnected && lastId == null) {
          onReady();
        }
        disconnected = false;
      });
      source.addEventListener('error', () => {
        disconnected = true;
        setFeedState('down');
        if (source.readyState === EventSource.CLOSED) {
          source.close();
          setTimeout(open, retryDelay);
          retryDelay = Math.min(retryDelay * 2, 30000);
        }
      });
      source.addEventListener('transition', (event) => {
        if (event.lastEventId) lastId = event.lastEventId;
        let data;
        try {
          data = JSON.parse(event.data);
        } catch (e) {
          return;
        }
        if (data && typeof data.uid === 'string') onEvent(data);
      });
    };
    open();
    window.addEventListener('pagehide', () => source && source.close());
  }

  function setFeedState(state) {
    const indicator = $('feed-state');
    const banner = $('feed-banner');
    if (indicator.dataset.state === state) return;
    indicator.dataset.state = state;
    $('feed-state-text').textContent = state === 'live' ? 'Live' : state === 'down' ? 'Reconnecting…' : 'Connecting…';
    if (state === 'down') {
      banner.textContent = 'Live updates disconnected — reconnecting…';
      banner.hidden = false;
    } else {
      banner.hidden = true;
      banner.textContent = '';
    }
  }

  function announce(message) {
    $('announcer').textContent = message;
  }

  // --- runs in memory --------------------------------------------------------------------------------------------

  const runs = new Map();

  /** Keeps the newest state of a run: statuses only move forward, then the later update wins. */
  function upsert(run) {
    const known = runs.get(run.uid);
    if (known) {
      const rankNew = (STATUSES[run.status] || { rank: -1 }).rank;
      const rankOld = (STATUSES[known.status] || { rank: -1 }).rank;
      if (rankNew < rankOld) return false;
      if (rankNew === rankOld && (millis(run.updatedAt) ?? 0) < (millis(known.updatedAt) ?? 0)) return false;
    }
    runs.set(run.uid, {
      uid: run.uid, namespace: run.namespace, pod: run.pod, workflow: run.workflow, pipeline: run.pipeline,
      app: run.app, environment: run.environment, stage: run.stage, status: run.status, cause: run.cause,
      reason: run.reason, message: run.message, createdAt: run.createdAt, startedAt: run.startedAt,
      finishedAt: run.finishedAt, updatedAt: run.updatedAt,
    });
    return true;
  }

  function newestFirst(a, b) {
    const t = (millis(b.createdAt) ?? 0) - (millis(a.createdAt) ?? 0);
    return t !== 0 ? t : (a.uid < b.uid ? 1 : a.uid > b.uid ? -1 : 0);
  }

  function forgetOldest() {
    if (runs.size <= MAX_RUNS + 100) return;
    const sorted = [...runs.values()].sort(newestFirst);
    for (const run of sorted.slice(MAX_RUNS)) runs.delete(run.uid);
  }

  // --- notifications: fetched for the rows on screen, bounded ----------------------------------------------------

  const notices = new Map();     // uid -> { stamp, state, counts, retryAt, delay }
  const queue = [];
  const queued = new Set();
  const visible = new Set();
  let inFlight = 0;

  const stampOf = (run) => run.status + '@' + run.updatedAt;

  function wantNotifications(uid) {
    const run = runs.get(uid);
    if (!run || queued.has(uid)) return;
    const entry = notices.get(uid);
    const stale = !entry || entry.stamp !== stampOf(run);
    const retry = entry && entry.state !== 'loading' && entry.counts && entry.counts.PENDING > 0 && Date.now() >= entry.retryAt;
    const failed = entry && entry.state === 'error' && Date.now() >= entry.retryAt;
    if ((stale && (!entry || entry.state !== 'loading')) || retry || failed) {
      queue.push(uid);
      queued.add(uid);
      pumpNotifications();
    }
  }

  function pumpNotifications() {
    while (inFlight < NOTIFY_CONCURRENCY && queue.length > 0) {
      const uid = queue.shift();
      queued.delete(uid);
      const run = runs.get(uid);
      if (!run || !visible.has(uid)) continue;
      const previous = notices.get(uid);
      const entry = { stamp: stampOf(run), state: 'loading', counts: previous && previous.counts, retryAt: 0,
        delay: previous ? previous.delay : 5000 };
      notices.set(uid, entry);
      inFlight++;
      api('/api/runs/' + encodeURIComponent(uid) + '/notifications')
        .then((list) => {
          const counts = { SENT: 0, PENDING: 0, DEAD: 0 };
          for (const n of list) counts[n.status] = (counts[n.status] || 0) + 1;
          entry.counts = counts;
          entry.state = 'ok';
          entry.delay = counts.PENDING > 0 && previous && previous.counts && previous.counts.PENDING > 0
            ? Math.min(entry.delay * 2, 60000) : 5000;
          entry.retryAt = Date.now() + entry.delay;
        })
        .catch(() => {
          entry.state = 'error';
          entry.retryAt = Date.now() + 15000;
        })
        .finally(() => {
          inFlight--;
          const cell = notifyCells.get(uid);
          if (cell) cell.replaceChildren(notificationSummary(uid));
          pumpNotifications();
        });
    }
  }

  function notificationSummary(uid) {
    const entry = notices.get(uid);
    if (!entry || (entry.state === 'loading' && !entry.counts)) {
      return h('span', { class: 'muted' }, 'Loading…');
    }
    if (entry.state === 'error' && !entry.counts) {
      return h('span', { class: 'muted' }, 'Unavailable');
    }
    const c = entry.counts;
    const total = c.SENT + c.PENDING + c.DEAD;
    if (total === 0) return h('span', { class: 'muted' }, 'None');
    const parts = [];
    if (c.SENT) parts.push(h('span', { class: 'n-sent' }, c.SENT + ' sent'));
    if (c.PENDING) parts.push(h('span', { class: 'n-pending' }, c.PENDING + ' pending'));
    if (c.DEAD) parts.push(h('span', { class: 'n-dead', title: 'Gave up after the last attempt; an operator can retry it' }, c.DEAD + ' dead'));
    const summary = h('span', { class: 'notify-summary' });
    parts.forEach((part, i) => {
      if (i > 0) summary.append(', ');
      summary.append(part);
    });
    return summary;
  }

  const notifyCells = new Map();
  const observer = 'IntersectionObserver' in window
    ? new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const uid = entry.target.dataset.uid;
        if (entry.isIntersecting) {
          visible.add(uid);
          wantNotifications(uid);
        } else {
          visible.delete(uid);
        }
      }
    }, { rootMargin: '200px 0px' })
    : null;

  // --- the list view -------------------------------------------------------------------------------------------

  const filters = { stage: '', status: '', pipeline: '' };
  let listLoaded = false;
  let listRequest = 0;

  function readFilters() {
    const params = new URLSearchParams(location.search);
    filters.stage = STAGES[params.get('stage')] ? params.get('stage') : '';
    filters.status = STATUSES[params.get('status')] ? params.get('status') : '';
    filters.pipeline = (params.get('pipeline') || '').trim();
    $('filter-stage').value = filters.stage;
    $('filter-status').value = filters.status;
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

  function matches(run) {
    return (!filters.stage || run.stage === filters.stage)
      && (!filters.status || run.status === filters.status)
      && (!filters.pipeline || run.pipeline === filters.pipeline);
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

  // Rows and pipeline tables are kept per run and per pipeline and only replaced when their run changed, so a live
  // update never takes a link away from under a click, and moves as few nodes as it can.
  const groupNodes = new Map();  // pipeline -> { section, tbody, counts }
  const rowNodes = new Map();    // uid -> { run, tr }
  let groupIds = 0;

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
      if (n) parts.push(n + ' ' + STATUSES[status].label.toLowerCase());
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
  }

  function setText(node, value) {
    if (node.textContent !== value) node.textContent = value;
  }

  /** Makes parent's children exactly the given nodes, in order, moving only those out of place. */
  function syncChildren(parent, nodes) {
    const wanted = new Set(nodes);
    for (const child of [...parent.children]) if (!wanted.has(child)) child.remove();
    let current = parent.firstElementChild;
    for (const node of nodes) {
      if (node === current) {
        current = current.nextElementSibling;
      } else {
        parent.insertBefore(node, current);
      }
    }
  }

  function rowFor(run) {
    const known = rowNodes.get(run.uid);
    if (known && known.run === run) return known.tr;
    const tr = runRow(run);
    rowNodes.set(run.uid, { run, tr });
    const cell = notifyCells.get(run.uid);
    if (observer && cell) observer.observe(cell);
    return tr;
  }

  function dropRow(uid) {
    const entry = rowNodes.get(uid);
    if (!entry) return;
    rowNodes.delete(uid);
    const cell = notifyCells.get(uid);
    if (cell && observer) observer.unobserve(cell);
    notifyCells.delete(uid);
    visible.delete(uid);
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

  function runRow(run) {
    const notify = h('td', { class: 'notify', dataset: { uid: run.uid } }, notificationSummary(run.uid));
    notifyCells.set(run.uid, notify);
    return h('tr', { dataset: { uid: run.uid, status: run.status || '' }, class: 'row-' + String(run.status).toLowerCase() },
      h('th', { scope: 'row', class: 'workflow' },
        h('a', { href: '/runs/' + encodeURIComponent(run.uid), class: 'run-link' }, run.workflow || run.pod || run.uid),
        h('span', { class: 'sub' }, [run.namespace, run.pod].filter(Boolean).join(' / '))),
      h('td', null, STAGES[run.stage] || text(run.stage)),
      h('td', { class: 'status' }, statusBadge(run.status)),
      h('td', null, causeTag(run.cause)),
      h('td', { class: 'reason-cell' },
        reasonNode(run.reason),
        run.message ? h('span', { class: 'message', title: run.message }, run.message) : null),
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

  function applyFilters() {
    filters.stage = $('filter-stage').value;
    filters.status = $('filter-status').value;
    filters.pipeline = $('filter-pipeline').value.trim();
    writeFilters();
    scheduleRender();
    loadList();
  }

  function startList() {
    $('list-view').hidden = false;
    readFilters();
    rememberListUrl(location.pathname + location.search);

    $('filter-stage').addEventListener('change', applyFilters);
    $('filter-status').addEventListener('change', applyFilters);
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
      $('filter-pipeline').value = '';
      applyFilters();
    });

    connectFeed((event) => {
      const before = runs.get(event.uid);
      if (!upsert(event)) return;
      forgetOldest();
      const run = runs.get(event.uid);
      if (matches(run) && (!before || before.status !== run.status)) {
        announce((run.workflow || run.pod) + ': ' + (STATUSES[run.status] || { label: run.status }).label
          + (run.reason ? ', ' + (REASONS[run.reason] || run.reason) : ''));
      }
      scheduleRender();
    }, loadList);

    setInterval(() => visible.forEach(wantNotifications), 5000);
    setInterval(refreshRelativeTimes, 30000);
  }

  // --- the detail view -----------------------------------------------------------------------------------------

  function startDetail(uid) {
    $('detail-view').hidden = false;
    const back = $('back-link');
    let listUrl = null;
    try {
      listUrl = sessionStorage.getItem(LIST_URL_KEY);
    } catch (e) {
      listUrl = null;
    }
    if (listUrl && /^\/(\?[^#]*)?$/.test(listUrl)) back.setAttribute('href', listUrl);

    let notificationTimer = null;
    let notificationDelay = 5000;

    const loadRun = async () => {
      try {
        upsert(await api('/api/runs/' + encodeURIComponent(uid)));
        $('detail-error').hidden = true;
        renderRun(runs.get(uid));
        $('detail-body').hidden = false;
        loadTransitions();
        loadNotifications();
      } catch (e) {
        if (e.status === 401) return;
        $('detail-title').textContent = e.status === 404 ? 'Run not found' : 'Run';
        document.title = $('detail-title').textContent + ' — stagewatch';
        $('detail-error').textContent = e.status === 404
          ? 'stagewatch has no run with uid ' + uid + '.'
          : 'Could not load the run: ' + e.message;
        $('detail-error').hidden = false;
      } finally {
        document.body.dataset.state = 'ready';
      }
    };

    const loadTransitions = async () => {
      try {
        renderTransitions(await api('/api/runs/' + encodeURIComponent(uid) + '/transitions'));
      } catch (e) {
        // shown again with the next change
      }
    };

    const loadNotifications = async () => {
      clearTimeout(notificationTimer);
      let list;
      try {
        list = await api('/api/runs/' + encodeURIComponent(uid) + '/notifications');
      } catch (e) {
        notificationTimer = setTimeout(loadNotifications, 15000);
        return;
      }
      renderNotifications(list);
      if (list.some((n) => n.status === 'PENDING')) {
        notificationTimer = setTimeout(loadNotifications, notificationDelay);
        notificationDelay = Math.min(notificationDelay * 2, 60000);
      } else {
        notificationDelay = 5000;
      }
    };

    connectFeed((event) => {
      if (event.uid !== uid) return;
      const before = runs.get(uid);
      if (!upsert(event)) return;
      const run = runs.get(uid);
      renderRun(run);
      $('detail-body').hidden = false;
      if (before && before.status !== run.status) {
        announce('Now ' + (STATUSES[run.status] || { label: run.status }).label
          + (run.reason ? ', ' + (REASONS[run.reason] || run.reason) : ''));
      }
      loadTransitions();
      notificationDelay = 5000;
      loadNotifications();
    }, loadRun);
  }

  function renderRun(run) {
    const name = run.workflow || run.pod || run.uid;
    document.title = name + ' — stagewatch';
    $('detail-title').textContent = name;
    $('detail-status').replaceChildren(statusBadge(run.status));
    const facts = [
      ['Stage', STAGES[run.stage] || text(run.stage)],
      ['Pipeline', text(run.pipeline)],
      ['Cause', causeTag(run.cause)],
      ['Reason', reasonNode(run.reason)],
      ['Message', run.message ? h('span', { class: 'message-full' }, run.message) : none()],
      ['Namespace', text(run.namespace)],
      ['Pod', text(run.pod)],
      ['App', text(run.app)],
      ['Environment', text(run.environment)],
      ['First seen', timeNode(run.createdAt, false)],
      ['Started', timeNode(run.startedAt, false)],
      ['Finished', timeNode(run.finishedAt, false)],
      ['Duration', durationNode(run)],
      ['UID', h('code', null, run.uid)],
    ];
    $('detail-facts').replaceChildren(...facts.map(([term, value]) =>
      h('div', { class: 'fact' + (term === 'Message' ? ' wide' : term === 'UID' ? ' double' : '') },
        h('dt', null, term), h('dd', null, value))));
  }

  function renderTransitions(list) {
    const body = $('transitions').querySelector('tbody');
    body.replaceChildren(...list.map((t, i) => h('tr', { dataset: { to: t.to || '' } },
      h('td', { class: 'num muted' }, String(i + 1)),
      h('td', { class: 'nowrap' }, timeNode(t.at, false)),
      h('td', null, t.from ? statusBadge(t.from) : h('span', { class: 'muted' }, 'New run')),
      h('td', { class: 'to' }, statusBadge(t.to)),
      h('td', null, causeTag(t.cause)),
      h('td', null, reasonNode(t.reason)),
      h('td', { class: 'message-cell' }, text(t.message)),
      h('td', null, SOURCES[t.source] || text(t.source)))));
    $('transitions').hidden = list.length === 0;
    $('transitions-empty').hidden = list.length > 0;
  }

  function renderNotifications(list) {
    const body = $('notifications').querySelector('tbody');
    body.replaceChildren(...list.map((n) => h('tr', { dataset: { status: n.status } },
      h('td', null, EVENTS[n.event] || text(n.event)),
      h('td', { class: 'recipient' }, text(n.recipient)),
      h('td', null, deliveryBadge(n.status)),
      h('td', { class: 'num' }, String(n.attempts)),
      h('td', { class: 'nowrap' }, n.status === 'SENT' ? timeNode(n.sentAt, false)
        : n.status === 'PENDING' ? timeNode(n.nextAttemptAt, false) : none()),
      h('td', { class: 'message-cell' }, text(n.lastError)))));
    $('notifications').hidden = list.length === 0;
    $('notifications-empty').hidden = list.length > 0;
  }

  // --- start -----------------------------------------------------------------------------------------------------

  setInterval(tick, 1000);
  const detail = /^\/runs\/([^/]+)\/?$/.exec(location.pathname);
  if (detail) {
    let uid;
    try {
      uid = decodeURIComponent(detail[1]);
    } catch (e) {
      uid = detail[1];
    }
    startDetail(uid);
  } else {
    startList();
  }
})();
