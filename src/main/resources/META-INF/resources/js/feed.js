// The live feed of transitions (/api/feed), and the page's indicator of its state.
import { token } from './api.js';
import { $ } from './dom.js';

const FIRST_OPEN_WAIT = 3000;  // load anyway when the feed has not opened by then

/**
 * Keeps one EventSource open on /api/feed. The browser reconnects by itself and sends Last-Event-ID, so the server
 * replays every transition missed meanwhile. When the browser gives up (an HTTP error), this reconnects itself with
 * ?after= the last id seen. onReady runs once the feed is open (then the caller loads its data, so no transition
 * falls between the load and the feed), and again after a reconnect that cannot resume (no event seen yet) and after
 * a `reset` event (the database was restored and cannot place the last id: what the page shows may be stale). onRisk
 * gets each risk event: a run at risk on a failing node, or no longer (no id: not replayed after a reconnect).
 */
export function connectFeed(onEvent, onReady, onRisk) {
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
    source.addEventListener('reset', (event) => {
      if (event.lastEventId) lastId = event.lastEventId;
      onReady();
    });
    source.addEventListener('transition', (event) => {
      if (event.lastEventId) lastId = event.lastEventId;
      const data = parse(event.data);
      if (data) onEvent(data);
    });
    source.addEventListener('risk', (event) => {
      const data = parse(event.data);
      if (data) onRisk(data);
    });
  };
  open();
  window.addEventListener('pagehide', () => source && source.close());
}

/** The event's data, or null when it is not a run's JSON. */
function parse(text) {
  let data;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return null;
  }
  return data && typeof data.uid === 'string' ? data : null;
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
