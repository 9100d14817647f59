import { costReport, docsUrl, usd, usdChange, type Finding, type PipelineCostReport, type Severity } from '../core';
import { counts, type FileReport, type RunReport } from './report';

/**
 * `--format markdown` (spec §8): a summary for a pull-request comment or a CI job summary.
 * GitHub-flavoured Markdown in which every string that comes from a manifest (names, messages,
 * paths) is escaped, so a stage called `<img src=x>` or `[click](https://…)` is text, never markup
 * or a link; and, like every format, it passes the run's redaction layer.
 */

/** Every ASCII punctuation character escaped (CommonMark allows it for all of them), line breaks flattened. */
function mdText(s: string): string {
  return s
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replace(/[\u0000-\u001f\u007f]/g, '?')
    .replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`);
}

/** Code spans cannot hold escapes: a code is one of ours (BCnnn), checked before it is printed raw. */
const codeSpan = (code: string) => (/^BC\d{3}$/.test(code) ? `\`${code}\`` : mdText(code));

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];
const TITLE: Record<Severity, string> = { error: 'Errors', warning: 'Warnings', info: 'Info', hint: 'Hints' };
const MAX_LISTED = 50;

/** Text taken from a manifest: its secrets masked first (escaping would hide them from the mask), then escaped. */
type Escape = (s: string) => string;

function where(file: FileReport, d: Finding, esc: Escape): string {
  const at = file.lines.positionAt(d.span.start);
  return esc(`${file.display}:${at.line + 1}:${at.character + 1}`);
}

function findingLine(file: FileReport, d: Finding, esc: Escape): string {
  return `- **${d.severity}** [${codeSpan(d.code)}](${docsUrl(d.code)}) ${where(file, d, esc)}: ${esc(d.message)}`;
}

export function formatMarkdown(report: RunReport): string {
  // Masked again whole: nothing printed escapes the run's redaction layer.
  return report.redactor.text(markdown(report, (s) => mdText(report.redactor.text(s))));
}

function markdown(report: RunReport, esc: Escape): string {
  const ref = report.baselineRef;
  const out: string[] = [];
  const c = counts(report);
  const all = report.files.flatMap((f) => f.findings.map((d, i) => ({ f, d, isNew: f.baseline?.isNew[i] ?? false })));
  const fixed = report.files.flatMap((f) => (f.baseline?.fixed ?? []).map((d) => ({ f, d })));
  const added = all.filter((x) => x.isNew);
  const problems = c.errors + c.warnings + c.infos + c.hints;
  const files = `${report.files.length} file${report.files.length === 1 ? '' : 's'}`;
  out.push('## BareCount manifests');
  out.push('');
  if (ref !== undefined)
    out.push(
      `${files} checked against \`${ref.replace(/`/g, "'")}\`: **${added.length} new** finding${added.length === 1 ? '' : 's'}, **${fixed.length} fixed**, ${problems} in all.`,
    );
  else out.push(`${files} checked: ${problems === 0 ? 'no problems' : `**${problems}** finding${problems === 1 ? '' : 's'}`}.`);
  out.push('');
  // Findings by severity, with what the change did to each.
  const header = ref !== undefined ? ['Severity', 'Findings', 'New', 'Fixed'] : ['Severity', 'Findings'];
  out.push(`| ${header.join(' | ')} |`);
  out.push(
    `| --- | ${header
      .slice(1)
      .map(() => '---:')
      .join(' | ')} |`,
  );
  for (const sev of SEVERITIES) {
    const n = all.filter((x) => x.d.severity === sev).length;
    const row = [TITLE[sev], String(n)];
    if (ref !== undefined) row.push(String(added.filter((x) => x.d.severity === sev).length), String(fixed.filter((x) => x.d.severity === sev).length));
    out.push(`| ${row.join(' | ')} |`);
  }
  out.push('');
  const list = (title: string, items: Array<{ f: FileReport; d: Finding }>, line: (f: FileReport, d: Finding) => string) => {
    if (items.length === 0) return;
    out.push(`### ${title}`);
    out.push('');
    for (const { f, d } of items.slice(0, MAX_LISTED)) out.push(line(f, d));
    if (items.length > MAX_LISTED) out.push(`- …and ${items.length - MAX_LISTED} more (run \`barecount-lint\` for all of them)`);
    out.push('');
  };
  const bySeverity = <T extends { d: Finding }>(xs: T[]) => [...xs].sort((a, b) => SEVERITIES.indexOf(a.d.severity) - SEVERITIES.indexOf(b.d.severity));
  if (ref !== undefined) {
    list(`New since ${esc(ref)}`, bySeverity(added), (f, d) => findingLine(f, d, esc));
    list(`Fixed since ${esc(ref)}`, bySeverity(fixed), (f, d) => `- ~~**${d.severity}** ${codeSpan(d.code)} ${esc(f.display)}: ${esc(d.message)}~~`);
    const old = all.filter((x) => !x.isNew);
    if (old.length) {
      out.push(`<details><summary>${old.length} finding${old.length === 1 ? '' : 's'} already there at ${esc(ref)}</summary>`);
      out.push('');
      for (const { f, d } of bySeverity(old).slice(0, MAX_LISTED)) out.push(findingLine(f, d, esc));
      if (old.length > MAX_LISTED) out.push(`- …and ${old.length - MAX_LISTED} more`);
      out.push('');
      out.push('</details>');
      out.push('');
    }
  } else list('Findings', bySeverity(all), (f, d) => findingLine(f, d, esc));

  if (report.withCost) {
    const rows: Array<{ f: FileReport; p: PipelineCostReport; change: number }> = [];
    let errors = 0;
    for (const f of report.files) {
      if (f.kind !== 'manifest' || !f.analysis) continue;
      const r = costReport(f.analysis, f.baseline?.costs);
      if (r.error) errors++;
      for (const p of r.pipelines) rows.push({ f, p, change: p.monthlyUsd - (p.baselineMonthlyUsd ?? 0) });
    }
    out.push('### Monthly cost estimate');
    out.push('');
    if (rows.length === 0) out.push('No pipeline could be estimated.');
    else {
      // The biggest movers first (by the size of the change); without a baseline, the dearest first.
      rows.sort((a, b) => (ref !== undefined ? Math.abs(b.change) - Math.abs(a.change) : 0) || b.p.monthlyUsd - a.p.monthlyUsd);
      const head = ['Pipeline', 'File', 'Monthly', 'Budget', ...(ref !== undefined ? [`Change vs ${esc(ref)}`] : [])];
      out.push(`| ${head.join(' | ')} |`);
      out.push(`| --- | --- | ---: | ---: |${ref !== undefined ? ' ---: |' : ''}`);
      for (const { f, p } of rows) {
        const over = p.overBudget ? ' **over budget**' : '';
        const change =
          ref === undefined
            ? []
            : [p.baselineMonthlyUsd === null || p.baselineMonthlyUsd === undefined ? 'new' : usdChange(p.monthlyUsd, p.baselineMonthlyUsd)];
        // Money is escaped too: GitHub reads two dollar signs on a line as mathematics.
        out.push(`| ${[esc(p.name), esc(f.display), `${esc(usd(p.monthlyUsd))}${over}`, esc(usd(p.budgetUsd)), ...change.map(mdText)].join(' | ')} |`);
      }
    }
    if (errors) out.push('', `${errors} file${errors === 1 ? ' has' : 's have'} YAML errors and no estimate.`);
    out.push('');
  }
  return out.join('\n').trimEnd();
}
