// The signed-in token and workspace, kept in this tab's sessionStorage only (never localStorage, a URL or a log).

const TOKEN = 'orchestrator.console.token';
const WORKSPACE = 'orchestrator.console.workspace';

export function token() {
  return sessionStorage.getItem(TOKEN);
}

export function workspace() {
  return sessionStorage.getItem(WORKSPACE);
}

export function signedIn() {
  return Boolean(token() && workspace());
}

export function signIn(jwt, ws) {
  sessionStorage.setItem(TOKEN, jwt);
  sessionStorage.setItem(WORKSPACE, ws);
}

export function signOut() {
  sessionStorage.removeItem(TOKEN);
  sessionStorage.removeItem(WORKSPACE);
}

/** The token's claims, decoded for display (not verified: the API verifies it). Null when unreadable. */
export function claims(jwt = token()) {
  try {
    const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const padded = part + '='.repeat((4 - (part.length % 4)) % 4);
    const text = new TextDecoder().decode(Uint8Array.from(atob(padded), c => c.charCodeAt(0)));
    return JSON.parse(text);
  } catch (e) {
    return null;
  }
}
