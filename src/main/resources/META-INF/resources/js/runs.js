// The runs the page knows, from the API and the feed, newest state of each.
import { millis } from './format.js';

const MAX_RUNS = 2000;  // runs kept in memory; the oldest are forgotten beyond it
const RANK = { PENDING: 0, RUNNING: 1, SUCCEEDED: 2, FAILED: 2 };

export const runs = new Map();

/**
 * Keeps the newest state of a run: statuses only move forward, then the later update wins. A run from the API comes
 * with its notification counts; one from the feed does not, so it keeps the counts known, marked stale: its
 * transition may have queued mail.
 */
export function upsert(run) {
  const known = runs.get(run.uid);
  if (known) {
    const rankNew = RANK[run.status] ?? -1;
    const rankOld = RANK[known.status] ?? -1;
    if (rankNew < rankOld) return false;
    if (rankNew === rankOld && (millis(run.updatedAt) ?? 0) < (millis(known.updatedAt) ?? 0)) return false;
  }
  // the run is kept whole, a name the server adds included, but for a feed event's transition (id, from, to, at)
  const { id, from, to, at, notifications, ...state } = run;
  const counted = notifications != null;
  runs.set(run.uid, {
    ...state,
    notifications: counted ? notifications : known ? known.notifications : null,
    countsStale: !counted,
  });
  return true;
}

/**
 * A run's risk as a feed's risk event tells it (atRisk null: no longer at risk). Not a status: a run the page does not
 * know, or that has finished, is left as it is. Returns true when the run changed.
 */
export function setRisk(change) {
  const known = runs.get(change.uid);
  if (!known || RANK[known.status] === 2 || known.atRisk === change.atRisk) return false;
  runs.set(change.uid, { ...known, node: change.node ?? known.node, atRisk: change.atRisk });
  return true;
}

export function newestFirst(a, b) {
  const t = (millis(b.createdAt) ?? 0) - (millis(a.createdAt) ?? 0);
  return t !== 0 ? t : (a.uid < b.uid ? 1 : a.uid > b.uid ? -1 : 0);
}

export function forgetOldest() {
  if (runs.size <= MAX_RUNS + 100) return;
  const sorted = [...runs.values()].sort(newestFirst);
  for (const run of sorted.slice(MAX_RUNS)) runs.delete(run.uid);
}
