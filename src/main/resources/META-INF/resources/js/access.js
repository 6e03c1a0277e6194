// What the caller may do here: a stagewatch running insecure (anyone may change it) says so on every view.
import { api } from './api.js';
import { $ } from './dom.js';

export async function showAccess() {
  let access;
  try {
    access = await api('/api/access');
  } catch (e) {
    return; // the views report the same failure
  }
  const banner = $('insecure-banner');
  banner.hidden = !access.insecure;
  banner.textContent = access.insecure
    ? 'Insecure mode: anyone who can reach this stagewatch may change its rules and retry its mails '
      + '(stagewatch.api.insecure=true). For demos only.'
    : '';
}
