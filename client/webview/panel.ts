/**
 * The cost and recommendations pages. Data comes by postMessage and is rendered with DOM APIs
 * and textContent only: nothing from a manifest is ever parsed as HTML.
 *
 * Layout: a panel beside the manifest is usually 350–450 px wide. The stages are a table when the
 * panel is at least WIDE_EM wide (in the body's font size) and the table, once drawn, fits; else
 * each stage is a card. Both come from the same column definitions (`Grid`), so a column added
 * for one shows in the other. The layout is chosen again when the panel is resized, keeping focus
 * and what the user typed.
 */
import type {
  CostEstimateResult,
  InputName,
  PipelineEstimate,
  RecommendationsResult,
  RunnerOption,
  StageEstimate,
  StageRecommendation,
} from '../../server/src/protocol';
import { inputBasisLabel, unknownWorkloadNote } from '../../server/src/core/estimate-labels';
import { changeLabel, usd, usdChange } from '../src/format';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;
const page = document.body.dataset.page === 'recommendations' ? 'recommendations' : 'cost';

type State = { kind: 'cost'; data: CostEstimateResult } | { kind: 'recommendations'; data: RecommendationsResult };
type Layout = 'table' | 'cards';

/** Below this many ems (of the body's font) the table is not even tried. */
const WIDE_EM = 52;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

/** A button whose accessible name is its visible text, or starts with it (WCAG 2.5.3). */
function button(
  text: string,
  id: string,
  onClick: () => void,
  more: { name?: string; title?: string; class?: string; type?: string; ctl?: string } = {},
): HTMLButtonElement {
  if (more.name !== undefined && !more.name.startsWith(text)) throw new Error(`accessible name "${more.name}" must start with "${text}"`);
  const b = el('button', { type: more.type ?? 'button', id, ...(more.class ? { class: more.class } : {}) }, text);
  if (more.name !== undefined && more.name !== text) b.setAttribute('aria-label', more.name);
  if (more.title) b.title = more.title;
  if (more.ctl) b.dataset.ctl = more.ctl;
  if (more.type !== 'submit') b.addEventListener('click', onClick);
  return b;
}

/** "1 finding", "2 findings". */
const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

const INPUTS: Array<{ key: InputName; label: string; step: string }> = [
  { key: 'runsPerDay', label: 'Runs per day', step: 'any' },
  { key: 'durationMinutes', label: 'Minutes per run', step: 'any' },
  { key: 'dataGb', label: 'GB per run', step: 'any' },
  { key: 'replicas', label: 'Replicas', step: '1' },
];

// ---------------------------------------------------------------------------------------------
// One definition, two layouts

interface Column<R> {
  header: string;
  cell: (r: R) => Node | string;
  num?: boolean;
  testid?: string;
  /** Long content (lists): in a card, under its label rather than beside it. */
  wide?: boolean;
  /** Shown only in one layout (the table spreads the runner over three columns, a card has one line). */
  only?: Layout;
}
interface Grid<R> {
  /** A class for the table or list: what it holds. */
  name: string;
  caption: string;
  /** The header of the first column, which names the row (a card's heading). */
  titleHeader: string;
  title: (r: R) => Node | string;
  rowAttrs: (r: R) => Record<string, string>;
  /** Identifies the row across renders (where focus goes when the focused control is gone). */
  key: (r: R) => string;
  columns: Array<Column<R>>;
  /** Full-width content under the row (a card's body): forms, alternatives, actions. */
  details?: (r: R, layout: Layout) => Node[];
  /** In cards, the caption as a heading (cards' titles are h3), else a line of text. */
  captionLevel?: 'h2';
}

function grid<R>(g: Grid<R>, rows: R[], layout: Layout): HTMLElement {
  const cols = g.columns.filter((c) => !c.only || c.only === layout);
  if (layout === 'table') {
    const t = el('table', { class: `grid ${g.name}` }, el('caption', {}, g.caption));
    t.append(
      el(
        'thead',
        {},
        el('tr', {}, el('th', { scope: 'col' }, g.titleHeader), ...cols.map((c) => el('th', { scope: 'col', class: c.num ? 'num' : '' }, c.header))),
      ),
    );
    const body = el('tbody');
    for (const r of rows) {
      body.append(
        el(
          'tr',
          { ...g.rowAttrs(r), 'data-key': g.key(r) },
          el('th', { scope: 'row', class: 'row-title', tabindex: '-1' }, g.title(r)),
          ...cols.map((c) => el('td', { class: c.num ? 'num' : '', ...(c.testid ? { 'data-testid': c.testid } : {}) }, c.cell(r))),
        ),
      );
      const details = g.details?.(r, layout);
      if (details?.length) body.append(el('tr', { class: 'details', 'data-key': g.key(r) }, el('td', { colspan: String(cols.length + 1) }, ...details)));
    }
    t.append(body);
    return t;
  }
  const list = el('ul', { class: `cards ${g.name}`, 'aria-label': g.caption });
  for (const r of rows) {
    const fields = el('dl', { class: 'fields' });
    for (const c of cols)
      fields.append(
        el(
          'div',
          { class: [c.num ? 'num' : '', c.wide ? 'wide' : ''].join(' ').trim() },
          el('dt', {}, c.header),
          el('dd', c.testid ? { 'data-testid': c.testid } : {}, c.cell(r)),
        ),
      );
    list.append(
      el(
        'li',
        { ...g.rowAttrs(r), class: `card ${g.rowAttrs(r).class ?? ''}`.trim(), 'data-key': g.key(r) },
        el('h3', { class: 'card-title row-title', tabindex: '-1' }, g.title(r)),
        fields,
        ...(g.details?.(r, layout) ?? []),
      ),
    );
  }
  return el('section', { class: 'grid-cards' }, el(g.captionLevel ?? 'p', { class: 'caption' }, g.caption), list);
}

// ---------------------------------------------------------------------------------------------
// Cost page

function renderCost(data: CostEstimateResult, layout: Layout) {
  app.replaceChildren();
  const header = el('header', { class: 'toolbar' }, el('h1', {}, 'Cost estimate'));
  const exportCsv = button('Export CSV', 'export-csv', () => vscode.postMessage({ type: 'export', format: 'csv' }), { title: 'Export the cost table as CSV' });
  const exportMd = button('Export Markdown', 'export-md', () => vscode.postMessage({ type: 'export', format: 'markdown' }), {
    title: 'Export the cost table as Markdown',
  });
  header.append(el('div', { class: 'actions' }, exportCsv, exportMd));
  app.append(header);
  app.append(
    el(
      'p',
      { class: 'muted', id: 'policy' },
      `Policy: ${data.policySource}${data.policyFallback ? ' has errors; the built-in policy is used' : ''} · USD a month (30 days, 730 hours)`,
    ),
  );
  if (data.error) {
    app.append(el('p', { class: 'notice' }, data.error));
    return;
  }
  if (data.pipelines.length === 0) app.append(el('p', { class: 'muted' }, 'No pipeline in this file.'));
  for (const p of data.pipelines) app.append(renderPipeline(p, data.baseline?.ref, layout));
}

function renderPipeline(p: PipelineEstimate, ref: string | undefined, layout: Layout): HTMLElement {
  const headingId = `pipeline-${p.documentIndex}`;
  const section = el('section', { class: `pipeline${p.overBudget ? ' over' : ''}`, 'aria-labelledby': headingId });
  // The meter's value stays within its range; the words say by how much a budget is exceeded.
  const bar =
    p.budgetUsd > 0
      ? el(
          'div',
          {
            class: 'budget-bar',
            role: 'meter',
            'aria-valuemin': '0',
            'aria-valuemax': String(p.budgetUsd),
            'aria-valuenow': String(Math.min(p.budgetUsd, Math.round(p.monthlyUsd * 100) / 100)),
            'aria-valuetext': `${usd(p.monthlyUsd)} of ${usd(p.budgetUsd)}${p.overBudget ? ', over budget' : ''}`,
            'aria-label': `Estimate of ${p.name} against its budget`,
          },
          el('span'),
        )
      : el('p', { class: 'muted' }, 'No budget.');
  const fill = bar.firstElementChild as HTMLElement | null;
  if (fill) fill.style.width = `${Math.min(100, (p.monthlyUsd / p.budgetUsd) * 100)}%`;
  section.append(
    el('h2', { id: headingId }, p.name),
    el(
      'p',
      { class: 'total', 'data-testid': 'total' },
      el('span', { class: 'amount', 'data-testid': 'total-usd' }, usd(p.monthlyUsd)),
      ` a month of ${usd(p.budgetUsd)} budget${p.budgetSource === 'policy' ? ' (policy default)' : ''}`,
    ),
    // Over budget is said in words, with the error colour on the border only: text keeps the
    // foreground colour, which every theme makes readable.
    ...(p.overBudget ? [el('p', { class: 'badge over', 'data-testid': 'over-budget' }, `Over budget by ${usd(p.monthlyUsd - p.budgetUsd)}`)] : []),
    // With barecount.baseline: what the change does to the pipeline's total.
    ...(ref !== undefined
      ? [
          el(
            'p',
            { class: 'baseline', 'data-testid': 'baseline-change' },
            `${changeLabel(p.monthlyUsd, p.baselineMonthlyUsd, ref)}${typeof p.baselineMonthlyUsd === 'number' ? ` (${usd(p.baselineMonthlyUsd)} a month there)` : ''}`,
          ),
        ]
      : []),
    bar,
    ...(p.stages.length ? [chart(p), stagesGrid(p, ref, layout)] : [el('p', { class: 'muted' }, 'No stage of this pipeline could be estimated.')]),
  );
  for (const u of p.uncosted) section.append(el('p', { class: 'muted' }, `${u.name}: not estimated (${u.reason})`));
  // A workload the matrix does not know takes the generic fallback: said, not silent.
  for (const s of p.stages) {
    const unknown = unknownWorkloadNote(s.inputs, s.defaulted);
    if (unknown) section.append(el('p', { class: 'notice', 'data-testid': 'fallback' }, `${s.name}: the estimate uses the ${unknown}.`));
  }
  if (p.waivers || p.waived)
    section.append(
      el(
        'p',
        { class: 'muted', 'data-testid': 'waived-count' },
        `${count(p.waivers, 'waiver')} · ${count(p.waived, 'finding')} waived (not counted as problems; see the recommendations preview)`,
      ),
    );
  return section;
}

/** The chart's text alternative: every stage when there are few, else the dearest (all are listed below it). */
function chartSummary(p: PipelineEstimate): string {
  const part = (s: StageEstimate) => `${s.name} ${usd(s.monthlyUsd)} (compute ${usd(s.computeUsd)}, transfer ${usd(s.transferUsd)})`;
  if (p.stages.length <= 12) return `Monthly cost per stage: ${p.stages.map(part).join('; ')}`;
  const dearest = [...p.stages].sort((a, b) => b.monthlyUsd - a.monthlyUsd).slice(0, 5);
  return `Monthly cost of ${p.stages.length} stages; the dearest: ${dearest.map(part).join('; ')}; every stage's figures are in the list below`;
}

/**
 * Cost per stage, compute and transfer stacked. HTML, not SVG: its text stays at the editor's
 * font size at any width, each label above its bar. Transfer is striped as well as coloured, so
 * the two parts differ without colour; the figures themselves are in the stages below, and the
 * chart's accessible name sums them up.
 */
function chart(p: PipelineEstimate): HTMLElement {
  const max = Math.max(...p.stages.map((s) => s.monthlyUsd), 0.01);
  const rows = el('div', {
    class: 'chart',
    role: 'img',
    'aria-label': chartSummary(p),
  });
  for (const s of p.stages) {
    const track = el('div', { class: 'chart-track' });
    for (const [v, cls] of [
      [s.computeUsd, 'compute'],
      [s.transferUsd, 'transfer'],
    ] as const) {
      const bar = el('span', { class: `bar ${cls}` });
      bar.style.width = `${v > 0 ? Math.max(0.5, (v / max) * 100) : 0}%`;
      track.append(bar);
    }
    rows.append(
      el(
        'div',
        { class: 'chart-row' },
        el('div', { class: 'chart-label' }, el('span', { class: 'chart-name' }, s.name), el('span', { class: 'num' }, usd(s.monthlyUsd))),
        track,
      ),
    );
  }
  const legend = el(
    'p',
    { class: 'legend', 'aria-hidden': 'true' },
    el('span', { class: 'swatch compute' }),
    ' compute ',
    el('span', { class: 'swatch transfer' }),
    ' transfer',
  );
  return el('figure', { class: 'chart-figure' }, rows, legend);
}

const runnerText = (r: { class: string; size: string; network: string }) => `${r.class} · ${r.size} · ${r.network}`;
const inputsText = (s: StageEstimate) => (s.defaulted.length ? s.defaulted.map((i) => `${i} (${inputBasisLabel(s.inputs[i])})`).join(', ') : 'none');

function stagesGrid(p: PipelineEstimate, ref: string | undefined, layout: Layout): HTMLElement {
  const columns: Array<Column<StageEstimate>> = [
    { header: 'Runner', cell: (s) => runnerText(s), only: 'cards' },
    { header: 'Class', cell: (s) => s.class, only: 'table' },
    { header: 'Size', cell: (s) => s.size, only: 'table' },
    { header: 'Network', cell: (s) => s.network, only: 'table' },
    { header: 'Compute', cell: (s) => usd(s.computeUsd), num: true },
    { header: 'Transfer', cell: (s) => usd(s.transferUsd), num: true },
    { header: 'Total', cell: (s) => usd(s.monthlyUsd), num: true, testid: 'stage-total' },
    ...(ref !== undefined
      ? [
          {
            header: `vs ${ref}`,
            cell: (s: StageEstimate) =>
              s.baselineMonthlyUsd === null || s.baselineMonthlyUsd === undefined ? 'new' : usdChange(s.monthlyUsd, s.baselineMonthlyUsd),
            num: true,
            testid: 'stage-change',
          },
        ]
      : []),
    { header: 'Assumed inputs', cell: inputsText },
    ...(p.stages.some((s) => s.waived > 0) ? [{ header: 'Waived', cell: (s: StageEstimate) => (s.waived ? count(s.waived, 'finding') : 'none') }] : []),
  ];
  return grid(
    {
      name: 'stages',
      caption: `Stages of ${p.name}`,
      titleHeader: 'Stage',
      title: (s) =>
        button(
          s.name,
          `reveal-${p.documentIndex}-${s.index}`,
          () => vscode.postMessage({ type: 'reveal', documentIndex: p.documentIndex, stageIndex: s.index }),
          { class: 'link', title: 'Show in the manifest', ctl: 'reveal' },
        ),
      rowAttrs: (s) => ({ 'data-stage': s.name }),
      key: (s) => `${p.documentIndex}/${s.name}`,
      columns,
      details: (s, l) => [assumptions(p, s), alternatives(p, s, l)],
    },
    p.stages,
    layout,
  );
}

/**
 * What the user typed and has not saved, by manifest, pipeline, stage name and input, with the
 * value the field showed then: kept when the page renders again, dropped when the manifest's
 * value changes (or the stage goes).
 */
const drafts = new Map<string, { typed: string; was: string }>();
const shown = (v: number) => String(Math.round(v * 1000) / 1000);
let shownUri = '';
const draftKey = (p: PipelineEstimate, s: StageEstimate, input: InputName) => `${shownUri}\n${p.documentIndex}\n${s.name}\n${input}`;

function assumptions(p: PipelineEstimate, s: StageEstimate): HTMLElement {
  const form = el('form', { class: 'assumptions', 'aria-label': `Usage assumptions of ${s.name}` });
  const fields: Array<[InputName, HTMLInputElement]> = [];
  for (const i of INPUTS) {
    const id = `in-${p.documentIndex}-${s.index}-${i.key}`;
    const value = shown(s.inputs[i.key].value);
    const key = draftKey(p, s, i.key);
    const draft = drafts.get(key);
    if (draft && draft.was !== value) drafts.delete(key);
    const input = el('input', {
      id,
      type: 'number',
      min: i.key === 'replicas' ? '1' : '0',
      step: i.step,
      value: draft?.was === value ? draft.typed : value,
      'data-ctl': `in:${i.key}`,
      'data-draft': key,
    });
    input.addEventListener('input', () => {
      drafts.set(key, { typed: input.value, was: value });
      saveStateSoon();
    });
    if (s.inputs[i.key].source !== 'declared') input.classList.add('assumed');
    fields.push([i.key, input]);
    form.append(
      el(
        'div',
        { class: 'field' },
        el('label', { for: id }, `${i.label}${s.inputs[i.key].source === 'declared' ? '' : ` (${inputBasisLabel(s.inputs[i.key])})`}`),
        input,
      ),
    );
  }
  form.append(
    button('Save to estimate', `save-${p.documentIndex}-${s.index}`, () => {}, { type: 'submit', name: `Save to estimate of ${s.name}`, ctl: 'save' }),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const estimate: Partial<Record<InputName, number>> = {};
    for (const [k, input] of fields) {
      const v = Number(input.value);
      drafts.delete(draftKey(p, s, k));
      // Only what the user changed is written; assumed values stay assumptions.
      if (input.value !== '' && Number.isFinite(v) && String(v) !== shown(s.inputs[k].value)) estimate[k] = v;
    }
    saveState();
    if (Object.keys(estimate).length) vscode.postMessage({ type: 'setEstimate', documentIndex: p.documentIndex, stageIndex: s.index, estimate });
    // Data that arrived while this form was typed in is shown now.
    flushPending();
  });
  return form;
}

/** An id part from a runner field: the catalogue's names, anything else made safe. */
const idPart = (v: string) => v.replace(/[^A-Za-z0-9-]/g, '_');

function applyButton(p: PipelineEstimate, s: StageEstimate, r: RunnerOption, saving: string): HTMLButtonElement {
  return button(
    'Apply',
    `apply-${p.documentIndex}-${s.index}-${idPart(r.class)}-${idPart(r.size)}-${idPart(r.network)}`,
    () => vscode.postMessage({ type: 'apply', documentIndex: p.documentIndex, stageIndex: s.index, class: r.class, size: r.size, network: r.network }),
    { name: `Apply ${r.class} ${r.size} ${r.network} to ${s.name}, ${saving} a month`, ctl: `apply:${r.class}/${r.size}/${r.network}` },
  );
}

/** Savings in words ("saves", "costs … more"), never by colour alone. */
const savingText = (r: RunnerOption) => (r.savingUsd >= 0 ? `saves ${usd(r.savingUsd)}` : `costs ${usd(-r.savingUsd)} more`);

function option(p: PipelineEstimate, s: StageEstimate, r: RunnerOption): Node[] {
  const saving = savingText(r);
  return [
    el('span', { class: 'runner' }, runnerText(r)),
    el(
      'span',
      { class: 'figures' },
      el('span', { class: 'num' }, usd(r.monthlyUsd)),
      ' ',
      el('span', { class: r.savingUsd > 0 ? 'saving' : 'dearer' }, saving),
    ),
    applyButton(p, s, r, saving),
  ];
}

/** The stage's recommended runner (the same one hover and lenses show), then the other runners that pass. */
function alternatives(p: PipelineEstimate, s: StageEstimate, layout: Layout): HTMLElement {
  const h = layout === 'cards' ? 'h4' : 'h3';
  const box = el('div', { class: 'alternatives' });
  const r = s.recommended;
  if (r && r.changes.length > 0) box.append(el(h, {}, 'Recommended runner'), el('p', { class: 'option' }, ...option(p, s, r)));
  else if (r) box.append(el('p', { class: 'muted' }, 'Runs on its recommended runner.'));
  else if (s.noRecommendation?.length) box.append(el('p', { class: 'notice' }, `No runner passes every check: ${s.noRecommendation.join(' ')}`));
  const others = s.alternatives.filter((a) => !(r && a.class === r.class && a.size === r.size && a.network === r.network));
  if (others.length === 0) return box;
  const list = el('ul', { 'aria-label': `Other runners that pass every check for ${s.name}` });
  for (const a of others.slice(0, 5)) list.append(el('li', { class: 'option' }, ...option(p, s, a)));
  box.append(el(h, {}, 'Other runners that pass every check'), list);
  return box;
}

// ---------------------------------------------------------------------------------------------
// Recommendations page

function renderRecommendations(data: RecommendationsResult, layout: Layout) {
  app.replaceChildren();
  const applyAll = button('Apply all', 'apply-all', () => vscode.postMessage({ type: 'applyAllRecommendations' }), { title: 'Apply every recommendation' });
  app.append(el('header', { class: 'toolbar' }, el('h1', {}, 'Runner recommendations'), el('div', { class: 'actions' }, applyAll)));
  if (data.error) app.append(el('p', { class: 'notice' }, data.error));
  const declared = (s: StageRecommendation) => `${s.declared.class ?? '?'} · ${s.declared.size ?? '?'} · ${s.declared.network ?? '?'}`;
  const recommended = (s: StageRecommendation) =>
    s.recommended
      ? `${runnerText(s.recommended)}${s.recommended.changes.length ? '' : ' (as declared)'}`
      : s.noRecommendation?.length
        ? `none: ${s.noRecommendation[0]}`
        : 'none until the stage is valid';
  const deviations = (s: StageRecommendation): Node | string => {
    if (!s.deviations.length) return 'none';
    const list = el('ul', { class: 'deviations' });
    // The severity is a word, not only a colour.
    s.deviations.forEach((d, k) =>
      list.append(
        el(
          'li',
          { class: d.severity },
          el('span', { class: 'severity' }, d.severity),
          ' ',
          el('a', { href: d.docs, id: `rule-${s.documentIndex}-${s.index}-${k}`, 'data-ctl': `rule:${d.code}:${k}` }, d.code),
          ' ',
          d.message,
        ),
      ),
    );
    return list;
  };
  // Waived findings, apart: not deviations anyone has to act on now, but never out of sight.
  const waived = (s: StageRecommendation): Node | string => {
    if (!s.waived?.length) return 'none';
    const list = el('ul', { class: 'waived', 'data-testid': 'waived' });
    s.waived.forEach((w, k) =>
      list.append(
        el(
          'li',
          {},
          el('a', { href: w.docs, id: `waived-${s.documentIndex}-${s.index}-${k}`, 'data-ctl': `waived:${w.code}:${k}` }, w.code),
          ' waived: ',
          w.summary,
        ),
      ),
    );
    return list;
  };
  const action = (s: StageRecommendation): Node | string =>
    s.recommended && s.recommended.changes.length > 0
      ? button(
          'Apply',
          `apply-rec-${s.documentIndex}-${s.index}`,
          () => vscode.postMessage({ type: 'applyRecommendation', documentIndex: s.documentIndex, stageIndex: s.index }),
          { name: `Apply the recommendation to ${s.name}`, ctl: 'apply' },
        )
      : 'nothing to apply';
  const anyWaived = data.stages.some((s) => s.waived?.length);
  if (data.stages.length === 0) app.append(el('p', { class: 'muted' }, 'No stage in this file.'));
  else
    app.append(
      grid(
        {
          name: 'stages',
          caption: 'Declared and recommended runner per stage',
          titleHeader: 'Stage',
          title: (s) => s.name,
          rowAttrs: (s) => ({ 'data-stage': s.name }),
          key: (s) => `${s.documentIndex}/${s.name}`,
          columns: [
            { header: 'Phase / workload', cell: (s) => `${s.phase ?? '?'} / ${s.workload ?? '?'}` },
            { header: 'Declared', cell: declared },
            { header: 'Recommended', cell: recommended },
            { header: 'Deviations', cell: deviations, wide: true },
            ...(anyWaived ? [{ header: 'Waived', cell: waived, wide: true }] : []),
            { header: 'Action', cell: action, only: 'table' as const },
          ],
          details: (s, l) => (l === 'cards' && s.recommended && s.recommended.changes.length > 0 ? [el('p', { class: 'card-actions' }, action(s))] : []),
          captionLevel: 'h2',
        },
        data.stages,
        layout,
      ),
    );
  // The matrix, with the stages that use each row in words (not only highlighted).
  const users = new Map<string, string[]>();
  for (const s of data.stages) {
    const k = `${s.phase}/${s.workload}`;
    const names = users.get(k);
    if (names) names.push(s.name);
    else users.set(k, [s.name]);
  }
  const rows = data.matrix.flatMap((r) => r.workloads.map((w) => ({ ...r, workload: w, usedBy: users.get(`${r.phase}/${w}`) ?? [] })));
  app.append(
    grid(
      {
        name: 'matrix',
        caption: 'Selection matrix',
        titleHeader: 'Workload',
        title: (r) => r.workload,
        rowAttrs: (r): Record<string, string> => (r.usedBy.length ? { class: 'active' } : {}),
        key: (r) => `matrix/${r.phase}/${r.workload}`,
        columns: [
          { header: 'Phase', cell: (r) => r.phase },
          { header: 'Class', cell: (r) => r.class },
          { header: 'Typical networks', cell: (r) => r.networks.join(', ') },
          { header: 'Used by', cell: (r) => (r.usedBy.length ? r.usedBy.join(', ') : '-') },
        ],
        captionLevel: 'h2',
      },
      rows,
      layout,
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Rendering, resizing and focus

let current: State | undefined;
let layout: Layout = 'table';
/** The width the table needed when it last did not fit this manifest: below it, cards without trying. */
let tableNeeds = 0;
/** Data that arrived while the user was typing in one of the page's fields: shown when they leave it. */
let pending: State | undefined;

function chooseLayout(): Layout {
  const em = parseFloat(getComputedStyle(document.body).fontSize) || 13;
  const width = document.documentElement.clientWidth;
  return width >= WIDE_EM * em && width >= tableNeeds ? 'table' : 'cards';
}

const overflowing = () => document.documentElement.scrollWidth > document.documentElement.clientWidth;

function draw(state: State, l: Layout) {
  layout = l;
  app.dataset.layout = l;
  if (state.kind === 'cost') renderCost(state.data, l);
  else renderRecommendations(state.data, l);
}

/** The page's state for VS Code to keep: the data, and what was typed and not saved. */
function saveState() {
  if (saveTimer) clearTimeout(saveTimer);
  saveTimer = undefined;
  if (current) vscode.setState({ ...current, drafts: Array.from(drafts.entries()) });
}
/**
 * While typing: the state (the whole data) is copied once typing pauses or the field is left (a
 * hidden panel tab takes focus away first), not per keystroke.
 */
let saveTimer: ReturnType<typeof setTimeout> | undefined;
function saveStateSoon() {
  if (saveTimer) clearTimeout(saveTimer);
  saveTimer = setTimeout(saveState, 300);
}

function render(state: State) {
  // Typed values and the table's width belong to the manifest they were found for.
  if (current && current.data.uri !== state.data.uri) {
    drafts.clear();
    tableNeeds = 0;
  }
  shownUri = state.data.uri;
  current = state;
  // Where the keyboard was: a control of a stage is found again by the stage's key and what the
  // control does (an id is a position, and positions move when stages come and go); a control
  // that is gone (an Apply that was pressed) gives way to its stage's title; others by id.
  const active = document.activeElement instanceof HTMLElement && app.contains(document.activeElement) ? document.activeElement : undefined;
  const rowKey = active?.closest<HTMLElement>('[data-key]')?.dataset.key;
  const ctl = active?.dataset.ctl;
  const id = active?.id;
  draw(state, chooseLayout());
  // A table wider than the panel (long values, a larger font) gives way to cards.
  if (layout === 'table' && overflowing()) {
    tableNeeds = document.documentElement.scrollWidth + 8;
    draw(state, 'cards');
  }
  if (!active) return;
  const rows = rowKey === undefined ? [] : Array.from(app.querySelectorAll<HTMLElement>('[data-key]')).filter((e) => e.dataset.key === rowKey);
  const inRow = (sel: string, match: (e: HTMLElement) => boolean) =>
    rows.map((r) => Array.from(r.querySelectorAll<HTMLElement>(sel)).find(match)).find((e) => e !== undefined);
  const again =
    (ctl ? inRow('[data-ctl]', (e) => e.dataset.ctl === ctl) : undefined) ??
    inRow('.row-title', () => true) ??
    (rowKey === undefined && id ? document.getElementById(id) : null) ??
    app.querySelector<HTMLElement>('h1');
  if (again) {
    if (!again.matches('a, button, input, select, textarea, [tabindex]')) again.tabIndex = -1;
    again.focus();
  }
}

/** Is the user typing in one of the page's fields (a value not saved yet)? Then the page waits. */
function typing(): boolean {
  const a = document.activeElement;
  return a instanceof HTMLInputElement && app.contains(a) && a.dataset.draft !== undefined && drafts.has(a.dataset.draft);
}

function show(state: State) {
  if (typing()) {
    pending = state;
    return;
  }
  pending = undefined;
  render(state);
  announce(state);
  saveState();
}

function flushPending() {
  if (pending) show(pending);
}

let announced = '';
/**
 * One short sentence for screen readers when what the page says changes (the page itself is not
 * live): not on every refresh while the manifest is typed in.
 */
function announce(state: State) {
  const status = document.getElementById('announce');
  if (!status) return;
  const text =
    state.kind === 'cost'
      ? state.data.error
        ? `Estimate unavailable: ${state.data.error}`
        : `Estimate: ${usd(state.data.totalUsd)} a month.`
      : state.data.error
        ? `Recommendations unavailable: ${state.data.error}`
        : `Recommendations: ${state.data.stages.filter((s) => s.recommended?.changes.length).length} of ${state.data.stages.length} stages would change runner.`;
  if (text === announced) return;
  announced = text;
  status.textContent = text;
}

/** Draws again if the layout no longer suits the panel's width (typed values and focus are kept). */
function relayout() {
  if (current && (chooseLayout() !== layout || (layout === 'table' && overflowing()))) render(current);
}

// A resize is looked at once a frame: the layout changes, or a table stops fitting.
let resizeQueued = false;
new ResizeObserver(() => {
  if (resizeQueued) return;
  resizeQueued = true;
  requestAnimationFrame(() => {
    resizeQueued = false;
    relayout();
  });
}).observe(document.documentElement);

// Leaving a field shows what arrived or changed meanwhile (after focus has moved, so it is kept).
app.addEventListener('focusout', () =>
  setTimeout(() => {
    if (saveTimer) saveState();
    flushPending();
    relayout();
  }, 0),
);

window.addEventListener('message', (event: MessageEvent) => {
  const msg = event.data as { type?: string; data?: unknown };
  let state: State | undefined;
  if (msg?.type === 'estimate' && page === 'cost') state = { kind: 'cost', data: msg.data as CostEstimateResult };
  else if (msg?.type === 'recommendations' && page === 'recommendations') state = { kind: 'recommendations', data: msg.data as RecommendationsResult };
  if (!state) return;
  show(state);
});

const saved = vscode.getState() as (State & { drafts?: Array<[string, { typed: string; was: string }]> }) | undefined;
if (saved?.kind === page) {
  for (const [k, v] of saved.drafts ?? []) drafts.set(k, v);
  render(saved.kind === 'cost' ? { kind: 'cost', data: saved.data } : { kind: 'recommendations', data: saved.data });
}
vscode.postMessage({ type: 'ready' });
