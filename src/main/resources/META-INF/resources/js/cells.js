// The small pieces both views show: badges, causes, reasons, times and durations.
import { h, none, text } from './dom.js';
import { absolute, formatDuration, millis, optionLabel, relative, sentence, word } from './format.js';

// status is always text plus colour and an icon
const STATUS_ICONS = { PENDING: '○', RUNNING: '▶', SUCCEEDED: '✓', FAILED: '✕' };
const DELIVERY_ICONS = { PENDING: '…', SENT: '✓', DEAD: '✕' };

export function statusLabel(status) {
  return optionLabel('filter-status', status) || String(status || 'Unknown');
}

export function stageNode(stage) {
  return optionLabel('filter-stage', stage) || text(stage);
}

export function statusBadge(status) {
  return h('span', { class: 'badge status-' + String(status || 'unknown').toLowerCase(), dataset: { status: status || '' } },
    h('span', { class: 'badge-icon', 'aria-hidden': 'true' }, STATUS_ICONS[status] || '?'), statusLabel(status));
}

export function deliveryBadge(status) {
  return h('span', { class: 'badge delivery-' + String(status).toLowerCase() },
    h('span', { class: 'badge-icon', 'aria-hidden': 'true' }, DELIVERY_ICONS[status] || '?'), word(status));
}

export function causeTag(cause) {
  if (!cause) return none();
  return h('span', { class: 'cause cause-' + cause.toLowerCase() }, word(cause));
}

/** The reason in the server's words, then its code. */
export function reasonNode(reason, reasonText) {
  if (!reason) return none();
  return h('span', { class: 'reason' }, reasonText ? sentence(reasonText) : reason, ' ', h('code', null, reason));
}

/** Why an unfinished run is at risk (its node fails), the server's words; null when it is not. */
export function riskNode(run) {
  if (!run.atRisk) return null;
  return h('span', { class: 'risk', title: 'At risk: not a status; the run fails as NODE_LOST once Kubernetes gives up on the node' },
    'At risk: ' + run.atRisk);
}

/** "Failed, node shutdown": what a screen reader hears when a run changes. */
export function statusWords(run) {
  return statusLabel(run.status) + (run.reason ? ', ' + (run.reasonText || run.reason) : '');
}

export function timeNode(iso, relativeToo) {
  if (!iso) return none();
  const props = { datetime: iso, title: absolute(iso) };
  if (relativeToo) props.dataset = { relative: '' };
  return h('time', props, relativeToo ? relative(iso) : absolute(iso));
}

/** The run's duration: from its first container start to its end, still growing while it runs. */
export function durationNode(run) {
  const start = millis(run.startedAt);
  if (start == null) return none();
  const terminal = run.status === 'SUCCEEDED' || run.status === 'FAILED';
  const end = millis(run.finishedAt) ?? (terminal ? millis(run.updatedAt) : null);
  if (end == null) {
    return h('span', { class: 'duration live', dataset: { since: String(start) } }, formatDuration(Date.now() - start));
  }
  return h('span', { class: 'duration' }, formatDuration(end - start));
}

/** Keeps live durations and relative times current. */
export function startClocks() {
  setInterval(() => {
    for (const node of document.querySelectorAll('[data-since]')) {
      node.textContent = formatDuration(Date.now() - Number(node.dataset.since));
    }
  }, 1000);
  setInterval(() => {
    for (const node of document.querySelectorAll('time[data-relative]')) {
      node.textContent = relative(node.getAttribute('datetime'));
    }
  }, 30000);
}
