// The REST API: JSON over fetch, with the viewer token kept in this tab, and problems turned into ApiErrors.
import { $ } from './dom.js';

const TOKEN_KEY = 'stagewatch.token';

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

export function token() {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch (e) {
    return null;
  }
}

export async function api(path) {
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
  $('failures-view').hidden = true;
  form.hidden = false;
  if (rejected) {
    form.querySelector('p').textContent = 'The token given is not valid. Enter another one.';
  }
  $('token-input').focus();
}

/** The token form keeps what is entered for this tab, then starts the page again with it. */
export function listenForToken() {
  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    try {
      sessionStorage.setItem(TOKEN_KEY, $('token-input').value.trim());
    } catch (e) {
      // storage refused: the page asks again
    }
    location.reload();
  });
}
