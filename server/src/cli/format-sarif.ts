import { RULES, docsUrl, waiverInfo, type Finding, type Severity } from '../core';
import { pathToFileURL } from 'node:url';
import type { FileReport, RunReport } from './report';

/** SARIF 2.1.0, with rule metadata and help links so code-scanning UIs can show each finding. */

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

function region(file: FileReport, start: number, end: number) {
  const s = file.lines.positionAt(start);
  const e = file.lines.positionAt(end);
  return { startLine: s.line + 1, startColumn: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1, charOffset: start, charLength: end - start };
}

function location(file: FileReport, start: number, end: number) {
  return {
    physicalLocation: {
      artifactLocation: { uri: encodeURI(file.display), ...(file.display.startsWith('/') ? {} : { uriBaseId: '%SRCROOT%' }) },
      region: region(file, start, end),
    },
  };
}

function result(file: FileReport, d: Finding, ruleIndex: number) {
  return {
    ruleId: d.code,
    ruleIndex,
    level: LEVEL[d.severity],
    message: { text: d.message },
    locations: [location(file, d.span.start, d.span.end)],
    ...(d.related.length
      ? { relatedLocations: d.related.map((r, id) => ({ id, message: { text: r.message }, ...location(file, r.span.start, r.span.end) })) }
      : {}),
    ...(d.fixes.length
      ? {
          fixes: d.fixes.map((fix) => ({
            description: { text: fix.title },
            artifactChanges: [
              {
                artifactLocation: location(file, 0, 0).physicalLocation.artifactLocation,
                replacements: fix.edits.map((e) => ({ deletedRegion: region(file, e.start, e.end), insertedContent: { text: e.newText } })),
              },
            ],
          })),
        }
      : {}),
    properties: { severity: d.severity, messageId: d.messageId },
  };
}

export function formatSarif(report: RunReport, version: string): string {
  const index = new Map(RULES.map((r, i) => [r.meta.code, i]));
  return report.redactor.json(
    {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'barecount-lint',
              semanticVersion: version,
              version,
              informationUri: 'https://github.com/barecount/barecount-manifests',
              rules: RULES.map((r) => ({
                id: r.meta.code,
                name: r.meta.slug,
                shortDescription: { text: r.meta.summary },
                fullDescription: { text: r.meta.summary },
                helpUri: docsUrl(r.meta.code),
                help: { text: `${r.meta.summary} See ${docsUrl(r.meta.code)}`, markdown: `${r.meta.summary} [Documentation](${docsUrl(r.meta.code)})` },
                defaultConfiguration: { level: LEVEL[r.meta.defaultSeverity] },
                properties: { category: r.meta.category, fixable: r.meta.fixable },
              })),
            },
          },
          originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(process.cwd() + '/').href } },
          columnKind: 'utf16CodeUnits',
          artifacts: report.files.map((f) => ({
            location: location(f, 0, 0).physicalLocation.artifactLocation,
            ...(f.kind === 'policy' ? { roles: ['policy'] } : {}),
          })),
          results: report.files.flatMap((f) => [
            // With --baseline, SARIF's own field says what the change introduced. (Fixed findings are
            // not listed as `absent` results: code-scanning UIs would open alerts for them.)
            ...f.findings.map((d, i) => ({
              ...result(f, d, index.get(d.code) ?? -1),
              ...(f.baseline ? { baselineState: f.baseline.isNew[i] === false ? 'unchanged' : 'new' } : {}),
            })),
            // Waived findings are results with suppressions, as code-scanning UIs expect: a comment
            // in the file is `inSource`, a policy waiver `external`.
            ...(f.analysis?.waived ?? []).map((w) => {
              const info = waiverInfo(w.waiver);
              return {
                ...result(f, w.finding, index.get(w.finding.code) ?? -1),
                suppressions: [
                  {
                    kind: info.source === 'inline' ? 'inSource' : 'external',
                    status: 'accepted',
                    justification: `${info.reason}${info.until ? ` (until ${info.until})` : ''}${info.owner ? ` — ${info.owner}` : ''}`,
                  },
                ],
              };
            }),
          ]),
        },
      ],
    },
    2,
  );
}
