// stagewatch status page: the run list (/), a run's detail view (/runs/{uid}) and the failure chart (/failures). Plain
// DOM and ES modules, no framework, no build step.
import { showAccess } from './access.js';
import { listenForToken } from './api.js';
import { startClocks } from './cells.js';
import { startDetail } from './detail.js';
import { startFailures } from './failures.js';
import { startList } from './list.js';

listenForToken();
showAccess();
startClocks();
const detail = /^\/runs\/([^/]+)\/?$/.exec(location.pathname);
const failures = location.pathname === '/failures';
if (detail) {
  let uid;
  try {
    uid = decodeURIComponent(detail[1]);
  } catch (e) {
    uid = detail[1];
  }
  startDetail(uid);
} else if (failures) {
  startFailures();
} else {
  startList();
}
// a run's detail is none of the views the header names
if (!detail) {
  document.querySelector(`.views a[data-view="${failures ? 'failures' : 'list'}"]`).setAttribute('aria-current', 'page');
}
