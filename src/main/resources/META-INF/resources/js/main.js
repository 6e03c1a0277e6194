// stagewatch status page: the run list (/) and a run's detail view (/runs/{uid}). Plain DOM and ES modules, no
// framework, no build step.
import { listenForToken } from './api.js';
import { startClocks } from './cells.js';
import { startDetail } from './detail.js';
import { startList } from './list.js';

listenForToken();
startClocks();
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
