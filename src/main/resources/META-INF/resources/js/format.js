// Words and times. The words for failure reasons are the server's (reasonText); enum names the server sends are shown
// as words by word(), and stages and statuses by the labels the filters in index.html give them.

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const relativeTime = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function millis(iso) {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? null : t;
}

export function absolute(iso) {
  const t = millis(iso);
  return t == null ? '' : dateTime.format(new Date(t));
}

export function relative(iso) {
  const t = millis(iso);
  if (t == null) return '';
  const seconds = Math.round((t - Date.now()) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return 'just now';
  if (abs < 3600) return relativeTime.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return relativeTime.format(Math.round(seconds / 3600), 'hour');
  return relativeTime.format(Math.round(seconds / 86400), 'day');
}

export function formatDuration(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  const pad = (n) => String(n).padStart(2, '0');
  if (s < 60) return s + 's';
  const m = Math.floor(s / 60);
  if (m < 60) return m + 'm ' + pad(s % 60) + 's';
  const hours = Math.floor(m / 60);
  if (hours < 24) return hours + 'h ' + pad(m % 60) + 'm';
  return Math.floor(hours / 24) + 'd ' + (hours % 24) + 'h';
}

/** The server's words at the start of a cell: "node shutdown" becomes "Node shutdown". */
export function sentence(words) {
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** An enum name as a word: INFRASTRUCTURE becomes Infrastructure. */
export function word(name) {
  return sentence(String(name).toLowerCase().replaceAll('_', ' '));
}

/** The label a filter menu of index.html gives a value (Pre-CD for PRE_CD), or null when it offers no such value. */
export function optionLabel(selectId, value) {
  const option = [...document.getElementById(selectId).options].find((o) => o.value !== '' && o.value === value);
  return option ? option.textContent : null;
}
