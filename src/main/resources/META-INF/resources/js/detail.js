// A run's detail view (/runs/{uid}): its facts, its transitions and its notifications, kept live by the feed.
import { api } from './api.js';
import { causeTag, durationNode, reasonNode, riskNode, stageNode, statusBadge, statusWords, timeNode } from './cells.js';
import { $, announce, h, none, text } from './dom.js';
import { connectFeed } from './feed.js';
import { word } from './format.js';
import { LIST_URL_KEY } from './list.js';
import { followNotifications } from './notifications.js';
import { runs, setRisk, upsert } from './runs.js';

export function startDetail(uid) {
  $('detail-view').hidden = false;
  const back = $('back-link');
  let listUrl = null;
  try {
    listUrl = sessionStorage.getItem(LIST_URL_KEY);
  } catch (e) {
    listUrl = null;
  }
  if (listUrl && /^\/(\?[^#]*)?$/.test(listUrl)) back.setAttribute('href', listUrl);

  const loadNotifications = followNotifications(uid);

  const loadTransitions = async () => {
    try {
      renderTransitions(await api('/api/runs/' + encodeURIComponent(uid) + '/transitions'));
    } catch (e) {
      // shown again with the next change
    }
  };

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

  connectFeed((event) => {
    if (event.uid !== uid) return;
    const before = runs.get(uid);
    if (!upsert(event)) return;
    const run = runs.get(uid);
    renderRun(run);
    $('detail-body').hidden = false;
    if (before && before.status !== run.status) {
      announce('Now ' + statusWords(run));
    }
    loadTransitions();
    loadNotifications();
  }, loadRun, (change) => {
    if (change.uid === uid && setRisk(change)) renderRun(runs.get(uid));
  });
}

function renderRun(run) {
  const name = run.workflow || run.pod || run.uid;
  document.title = name + ' — stagewatch';
  $('detail-title').textContent = name;
  $('detail-status').replaceChildren(statusBadge(run.status));
  const facts = [
    ['Stage', stageNode(run.stage)],
    ['Platform', text(run.platform)],
    ['Pipeline', text(run.pipeline)],
    ['Cause', causeTag(run.cause)],
    ['Reason', reasonNode(run.reason, run.reasonText)],
    ['Message', run.message ? h('span', { class: 'message-full' }, run.message) : none()],
    ['Cluster', text(run.cluster)],
    ['At risk', riskNode(run) || none()],
    ['Node', text(run.node)],
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
    h('td', null, reasonNode(t.reason, t.reasonText)),
    h('td', { class: 'message-cell' }, text(t.message)),
    h('td', null, t.source ? word(t.source) : none()))));
  $('transitions').hidden = list.length === 0;
  $('transitions-empty').hidden = list.length > 0;
}
