// Notifications: the counts in the run list, and the table of the detail view.
import { api } from './api.js';
import { $, h, none, text } from './dom.js';
import { deliveryBadge, timeNode } from './cells.js';
import { word } from './format.js';
import { runs } from './runs.js';

const BATCH = 50;              // runs per counts request, as many as /api/notifications/counts takes
const SOON = 1000;             // after the feed changed a run: its transition may have queued mail
const FIRST_PENDING_WAIT = 5000;
const LONGEST_WAIT = 60000;
const RETRY_WAIT = 15000;

/** A run's counts as the list shows them: "2 sent, 1 pending". */
export function countsSummary(counts) {
  if (!counts) return h('span', { class: 'muted' }, 'Loading…');
  if (counts.sent + counts.pending + counts.dead === 0) return h('span', { class: 'muted' }, 'None');
  const parts = [];
  if (counts.sent) parts.push(h('span', { class: 'n-sent' }, counts.sent + ' sent'));
  if (counts.pending) parts.push(h('span', { class: 'n-pending' }, counts.pending + ' pending'));
  if (counts.dead) parts.push(h('span', { class: 'n-dead', title: 'Gave up after the last attempt; an operator can retry it' }, counts.dead + ' dead'));
  const summary = h('span', { class: 'notify-summary' });
  parts.forEach((part, i) => {
    if (i > 0) summary.append(', ');
    summary.append(part);
  });
  return summary;
}

/**
 * Keeps the counts of the runs on screen current without asking run by run. They come with the list; afterwards
 * the runs whose counts may have moved (changed by the feed, or with mail still pending) are asked for together,
 * BATCH runs a request: soon after a change, and with a wait growing from 5 s to a minute while mail stays pending.
 * shown() gives the runs on screen; onCounts(uids) runs when their counts arrived.
 */
export function keepCountsFresh(shown, onCounts) {
  let timer = null;
  let due = 0;
  let inFlight = false;
  let pendingWait = FIRST_PENDING_WAIT;

  const unsure = (run) => run.countsStale || run.notifications == null;
  const wanted = () => shown().filter((run) => unsure(run) || run.notifications.pending > 0);

  const schedule = (wait) => {
    const at = Date.now() + wait;
    if (inFlight || (timer && due <= at)) return;
    clearTimeout(timer);
    due = at;
    timer = setTimeout(refresh, wait);
  };

  const check = () => {
    const list = wanted();
    if (list.length === 0) {
      pendingWait = FIRST_PENDING_WAIT;
    } else if (list.some(unsure)) {
      pendingWait = FIRST_PENDING_WAIT;
      schedule(SOON);
    } else {
      schedule(pendingWait);
    }
  };

  const refresh = async () => {
    timer = null;
    inFlight = true;
    const asked = wanted();
    let failed = false;
    for (let i = 0; i < asked.length; i += BATCH) {
      const batch = asked.slice(i, i + BATCH);
      const params = new URLSearchParams();
      batch.forEach((run) => params.append('run', run.uid));
      try {
        const counts = await api('/api/notifications/counts?' + params);
        for (const run of batch) {
          const current = runs.get(run.uid);
          if (!current || !counts[run.uid]) continue;
          current.notifications = counts[run.uid];
          // a run the feed replaced meanwhile stays unsure: its newer transition may have queued more
          if (current === run) current.countsStale = false;
        }
        onCounts(batch.map((run) => run.uid));
      } catch (e) {
        failed = true;
      }
    }
    inFlight = false;
    const next = wanted();
    if (failed) {
      schedule(RETRY_WAIT);
    } else if (next.length > 0 && !next.some(unsure)) {
      schedule(pendingWait);
      pendingWait = Math.min(pendingWait * 2, LONGEST_WAIT);
    } else {
      check();
    }
  };

  return check;
}

/** The detail view's notifications: loaded when asked, and again while any is pending, less and less often. */
export function followNotifications(uid) {
  let timer = null;
  let wait = FIRST_PENDING_WAIT;

  const load = async () => {
    clearTimeout(timer);
    let list;
    try {
      list = await api('/api/runs/' + encodeURIComponent(uid) + '/notifications');
    } catch (e) {
      timer = setTimeout(load, RETRY_WAIT);
      return;
    }
    renderNotifications(list);
    if (list.some((n) => n.status === 'PENDING')) {
      timer = setTimeout(load, wait);
      wait = Math.min(wait * 2, LONGEST_WAIT);
    } else {
      wait = FIRST_PENDING_WAIT;
    }
  };

  return () => {
    wait = FIRST_PENDING_WAIT;
    load();
  };
}

function renderNotifications(list) {
  const body = $('notifications').querySelector('tbody');
  body.replaceChildren(...list.map((n) => h('tr', { dataset: { status: n.status } },
    h('td', null, n.event ? word(n.event) : none()),
    h('td', { class: 'recipient' }, text(n.recipient ? n.destination : n.channel + ': ' + n.destination)),
    h('td', null, deliveryBadge(n.status)),
    h('td', { class: 'num' }, String(n.attempts)),
    h('td', { class: 'nowrap' }, n.status === 'SENT' ? timeNode(n.sentAt, false)
      : n.status === 'PENDING' ? timeNode(n.nextAttemptAt, false) : none()),
    h('td', { class: 'message-cell' }, text(n.lastError)))));
  $('notifications').hidden = list.length === 0;
  $('notifications-empty').hidden = list.length > 0;
}
