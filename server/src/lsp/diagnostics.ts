import { FileChangeType, MessageType } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import { DiagnosticCache } from './convert';
import type { Session } from './session';

const VALIDATE_DELAY_MS = 15;

/** Diagnostics: debounced per document, published with the version they are for. */
export function registerDiagnostics(session: Session): { revalidateAll(): void; revalidate(uri: string): void } {
  const { connection, documents, analyzer, policies } = session;
  const timers = new Map<string, NodeJS.Timeout>();
  const warnedFallback = new Set<string>();
  const warnedRefused = new Set<string>();
  /** When each document's last validation started. */
  const lastRun = new Map<string, number>();
  /** Each open document's diagnostics as last published: a keystroke republishes the ones that did not change as they were. */
  const published = new Map<string, DiagnosticCache>();

  async function validate(uri: string): Promise<void> {
    lastRun.set(uri, performance.now());
    const doc = documents.get(uri);
    if (!doc) return;
    const settings = await session.settingsFor(uri);
    const latest = documents.get(uri);
    // A newer version arrived while settings were read: its own validation is scheduled.
    if (!latest || latest.version !== doc.version) return;
    const before = analyzer.pipelinesOf(uri)?.join('\u0000');
    const state = analyzer.analyze(latest, settings);
    // The pipelines open changed (a manifest opened, or renamed its pipeline): open policies'
    // waivers are checked against them again.
    if (state.kind === 'manifest' && analyzer.pipelinesOf(uri)?.join('\u0000') !== before) recheckPolicies(uri);
    // Against barecount.baseline, findings the change introduced are told apart (convert.ts).
    const delta = session.baselineOf(state, false);
    let cache = published.get(uri);
    if (!cache) published.set(uri, (cache = new DiagnosticCache(uri)));
    const diagnostics = cache.convert(state.lines, state.findings, session.diagnosticFeatures, (i) => (delta?.isNew[i] ? delta.ref : undefined));
    // git is asked (when due) once the diagnostics are written, not before: its answer republishes
    // them. Not for a document closed or changed since (its own check asks).
    connection
      .sendDiagnostics({ uri, version: state.version, diagnostics })
      .then(() => {
        if (documents.get(uri)?.version === state.version) session.baselineOf(state);
      })
      .catch((e: unknown) => session.log(`baseline of ${uri} failed: ${(e as Error).message}`));
    if (state.policy.fallback && !warnedFallback.has(state.policy.source)) {
      warnedFallback.add(state.policy.source);
      session.notify(MessageType.Warning, `BareCount: ${state.policy.source} has errors; the built-in policy is used until it is fixed.`);
    }
    if (!state.policy.fallback) warnedFallback.delete(state.policy.source);
    // A policy file that must not be read (a link, a FIFO, a folder…): said once per path, by its
    // path and what it is; nothing of what it points to is ever read.
    const refused = state.policy.refused;
    if (refused && !warnedRefused.has(refused.path)) {
      warnedRefused.add(refused.path);
      session.notify(MessageType.Warning, `BareCount: ${refused.path} ${refused.reason} — the built-in policy is used in its place.`);
    }
  }

  function schedule(uri: string, delay = VALIDATE_DELAY_MS): void {
    const pending = timers.get(uri);
    if (pending) clearTimeout(pending);
    timers.set(
      uri,
      setTimeout(() => {
        timers.delete(uri);
        validate(uri).catch((e: unknown) => session.log(`validation failed for ${uri}: ${(e as Error).message}`));
      }, delay),
    );
  }

  function revalidateAll(): void {
    analyzer.invalidateAll();
    for (const doc of documents.all()) schedule(doc.uri, 0);
  }

  /** An open policy's waivers are checked against the open manifests' pipelines: again when they change. */
  function recheckPolicies(except: string): void {
    for (const doc of documents.all()) {
      if (doc.uri === except || analyzer.kindOf(doc.uri) !== 'policy') continue;
      analyzer.invalidate(doc.uri);
      schedule(doc.uri);
    }
  }

  documents.onDidOpen((e) => schedule(e.document.uri, 0));
  documents.onDidChangeContent((e) => {
    // The first change after a pause is checked at once (changes already received are taken
    // together); changes that follow one another closely wait for a pause of VALIDATE_DELAY_MS.
    const uri = e.document.uri;
    // Opening a document is a change of its content too: its check, scheduled at once, stays so.
    const last = lastRun.get(uri);
    const quiet = last === undefined || (!timers.has(uri) && performance.now() - last > VALIDATE_DELAY_MS);
    schedule(uri, quiet ? 0 : VALIDATE_DELAY_MS);
    // A policy being edited governs other open manifests.
    if (analyzer.kindOf(e.document.uri) === 'policy') {
      policies.invalidate(URI.parse(e.document.uri).fsPath);
      analyzer.invalidateAll();
      for (const doc of documents.all()) if (doc.uri !== e.document.uri) schedule(doc.uri);
    }
  });
  documents.onDidClose((e) => {
    const pending = timers.get(e.document.uri);
    if (pending) clearTimeout(pending);
    timers.delete(e.document.uri);
    lastRun.delete(e.document.uri);
    published.delete(e.document.uri);
    analyzer.forget(e.document.uri);
    session.baselines.forget(e.document.uri);
    session.forgetSettings(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    if (analyzer.kindOf(e.document.uri) === 'policy') revalidateAll();
    else recheckPolicies(e.document.uri);
  });
  connection.onDidChangeWatchedFiles((e) => {
    for (const c of e.changes) {
      const path = URI.parse(c.uri).fsPath;
      policies.invalidate(path);
      // A policy file that changed is judged afresh, and said again if it is still refused.
      warnedRefused.delete(path);
      if (c.type === FileChangeType.Deleted) warnedFallback.delete(path);
    }
    revalidateAll();
  });
  return { revalidateAll, revalidate: (uri) => schedule(uri, 0) };
}
