/**
 * The HTML shell of a webview: a strict CSP with a nonce, the page script and stylesheet by URI,
 * and nothing from the manifest (data arrives by postMessage and is rendered with textContent).
 * No `vscode` import, so the Chromium tests render exactly this.
 */
export interface ShellOptions {
  title: string;
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  /** Which page to render: the script reads it from the body's data attribute. */
  page: 'cost' | 'recommendations';
}

export function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function webviewShell(o: ShellOptions): string {
  const csp = [
    `default-src 'none'`,
    `img-src ${o.cspSource} data:`,
    `style-src ${o.cspSource}`,
    `script-src 'nonce-${o.nonce}'`,
    `font-src ${o.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(o.styleUri)}">
<title>${escapeAttr(o.title)}</title>
</head>
<body data-page="${o.page}">
<main><div id="app"><p class="muted">Loading…</p></div><p id="announce" class="visually-hidden" role="status"></p></main>
<script nonce="${escapeAttr(o.nonce)}" src="${escapeAttr(o.scriptUri)}"></script>
</body>
</html>`;
}
