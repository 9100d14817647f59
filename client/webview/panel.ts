/**
 * The cost and recommendations pages. Data comes by postMessage and is rendered with DOM APIs
 * and textContent only: nothing from a manifest is ever parsed as HTML.
 */
import type { CostEstimateResult, InputName, PipelineEstimate, RecommendationsResult, RunnerOption, StageEstimate } from '../../server/src/protocol';
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

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

const INPUTS: Array<{ key: InputName; label: string; step: string }> = [
  { key: 'runsPerDay', label: 'Runs per day', step: 'any' },
  { key: 'durationMinutes', label: 'Minutes per run', step: 'any' },
  { key: 'dataGb', label: 'GB per run', step: 'any' },
  { key: 'replicas', label: 'Replicas', step: '1' },
];

function renderCost(data: CostEstimateResult) {
  app.replaceChildren();
  const header = el('header', { class: 'toolbar' }, el('h1', {}, 'Cost estimate'));
  const exportCsv = el('button', { type: 'button', 'aria-label': 'Export the cost table as CSV' }, 'Export CSV');
  const exportMd = el('button', { type: 'button', 'aria-label': 'Export the cost table as Markdown' }, 'Export Markdown');
  exportCsv.addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'csv' }));
  exportMd.addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'markdown' }));
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
    app.append(el('p', { class: 'notice', role: 'status' }, data.error));
    return;
  }
  if (data.pipelines.length === 0) app.append(el('p', { class: 'muted' }, 'No pipeline in this file.'));
  for (const p of data.pipelines) app.append(renderPipeline(p, data.baseline?.ref));
}

function renderPipeline(p: PipelineEstimate, ref: string | undefined): HTMLElement {
  const section = el('section', { class: `pipeline${p.overBudget ? ' over' : ''}`, 'aria-label': `Pipeline ${p.name}` });
  const share = p.budgetUsd > 0 ? Math.min(100, (p.monthlyUsd / p.budgetUsd) * 100) : 100;
  const bar = el(
    'div',
    {
      class: 'budget-bar',
      role: 'meter',
      'aria-valuemin': '0',
      'aria-valuemax': String(p.budgetUsd),
      'aria-valuenow': String(Math.round(p.monthlyUsd * 100) / 100),
      'aria-label': 'Estimate against budget',
    },
    el('span'),
  );
  (bar.firstChild as HTMLElement).style.width = `${share}%`;
  section.append(
    el('h2', {}, p.name),
    el(
      'p',
      { class: 'total', 'data-testid': 'total' },
      el('strong', { 'data-testid': 'total-usd' }, usd(p.monthlyUsd)),
      ` a month of ${usd(p.budgetUsd)} budget${p.budgetSource === 'policy' ? ' (policy default)' : ''}`,
      ...(p.overBudget ? [' ', el('span', { class: 'badge over', 'data-testid': 'over-budget' }, `Over budget by ${usd(p.monthlyUsd - p.budgetUsd)}`)] : []),
    ),
    // With barecount.baseline: what the change does to the pipeline's total.
    ...(ref !== undefined
      ? [
          el(
            'p',
            { class: 'baseline', 'data-testid': 'baseline-change' },
            p.baselineMonthlyUsd === null || p.baselineMonthlyUsd === undefined
              ? `Not in ${ref}: the whole pipeline is new.`
              : `${changeLabel(p.monthlyUsd, p.baselineMonthlyUsd, ref)} (${usd(p.baselineMonthlyUsd)} a month there)`,
          ),
        ]
      : []),
    bar,
    chart(p),
    table(p, ref),
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
        `${p.waivers} waiver${p.waivers === 1 ? '' : 's'} · ${p.waived} finding${p.waived === 1 ? '' : 's'} waived (not counted as problems; see the recommendations preview)`,
      ),
    );
  return section;
}

/** Cost per stage, compute and transfer stacked; drawn here, no remote content. */
function chart(p: PipelineEstimate): SVGElement {
  const NS = 'http://www.w3.org/2000/svg';
  const rowH = 22;
  const labelW = 160;
  const width = 560;
  const max = Math.max(...p.stages.map((s) => s.monthlyUsd), 1);
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${p.stages.length * rowH + 24}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('class', 'chart');
  svg.setAttribute('aria-label', `Monthly cost per stage: ${p.stages.map((s) => `${s.name} ${usd(s.monthlyUsd)}`).join(', ')}`);
  p.stages.forEach((s, i) => {
    const y = i * rowH + 4;
    const label = document.createElementNS(NS, 'text');
    label.setAttribute('x', '0');
    label.setAttribute('y', String(y + 14));
    label.setAttribute('class', 'chart-label');
    label.textContent = s.name.length > 22 ? `${s.name.slice(0, 21)}…` : s.name;
    svg.append(label);
    const scale = (width - labelW - 90) / max;
    const parts: Array<[number, string, string]> = [
      [s.computeUsd, 'compute', `compute ${usd(s.computeUsd)}`],
      [s.transferUsd, 'transfer', `transfer ${usd(s.transferUsd)}`],
    ];
    let x = labelW;
    for (const [v, cls, title] of parts) {
      const w = Math.max(v > 0 ? 1 : 0, v * scale);
      const r = document.createElementNS(NS, 'rect');
      r.setAttribute('x', String(x));
      r.setAttribute('y', String(y));
      r.setAttribute('width', String(w));
      r.setAttribute('height', String(rowH - 8));
      r.setAttribute('class', `bar ${cls}`);
      const t = document.createElementNS(NS, 'title');
      t.textContent = `${s.name}: ${title}`;
      r.append(t);
      svg.append(r);
      x += w;
    }
    const total = document.createElementNS(NS, 'text');
    total.setAttribute('x', String(x + 6));
    total.setAttribute('y', String(y + 14));
    total.setAttribute('class', 'chart-value');
    total.textContent = usd(s.monthlyUsd);
    svg.append(total);
  });
  const legend = document.createElementNS(NS, 'text');
  legend.setAttribute('x', String(labelW));
  legend.setAttribute('y', String(p.stages.length * rowH + 20));
  legend.setAttribute('class', 'chart-legend');
  for (const [cls, label] of [
    ['legend-compute', '■'],
    ['', ' compute   '],
    ['legend-transfer', '■'],
    ['', ' transfer'],
  ] as const) {
    const span = document.createElementNS(NS, 'tspan');
    if (cls) span.setAttribute('class', cls);
    span.textContent = label;
    legend.append(span);
  }
  svg.append(legend);
  return svg;
}

function table(p: PipelineEstimate, ref: string | undefined): HTMLElement {
  const t = el('table', { class: 'stages' }, el('caption', {}, `Stages of ${p.name}`));
  const head = el(
    'tr',
    {},
    ...['Stage', 'Class', 'Size', 'Network', 'Compute', 'Transfer', 'Total', ...(ref !== undefined ? [`vs ${ref}`] : []), 'Assumed inputs'].map((h) =>
      el('th', { scope: 'col' }, h),
    ),
  );
  t.append(el('thead', {}, head));
  const body = el('tbody');
  for (const s of p.stages) {
    const name = el('button', { type: 'button', class: 'link', 'aria-label': `Show stage ${s.name} in the manifest` }, s.name);
    name.addEventListener('click', () => vscode.postMessage({ type: 'reveal', documentIndex: p.documentIndex, stageIndex: s.index }));
    body.append(
      el(
        'tr',
        { 'data-stage': s.name },
        el('th', { scope: 'row' }, name),
        el('td', {}, s.class),
        el('td', {}, s.size),
        el('td', {}, s.network),
        el('td', { class: 'num' }, usd(s.computeUsd)),
        el('td', { class: 'num' }, usd(s.transferUsd)),
        el('td', { class: 'num', 'data-testid': 'stage-total' }, usd(s.monthlyUsd)),
        ...(ref !== undefined
          ? [
              el(
                'td',
                { class: 'num', 'data-testid': 'stage-change' },
                s.baselineMonthlyUsd === null || s.baselineMonthlyUsd === undefined ? 'new' : usdChange(s.monthlyUsd, s.baselineMonthlyUsd),
              ),
            ]
          : []),
        el('td', {}, s.defaulted.length ? s.defaulted.map((i) => `${i} (${inputBasisLabel(s.inputs[i])})`).join(', ') : '-'),
      ),
    );
    body.append(el('tr', { class: 'details' }, el('td', { colspan: ref !== undefined ? '9' : '8' }, assumptions(p, s), alternatives(p, s))));
  }
  t.append(body);
  return t;
}

function assumptions(p: PipelineEstimate, s: StageEstimate): HTMLElement {
  const form = el('form', { class: 'assumptions', 'aria-label': `Usage assumptions of ${s.name}` });
  const fields: Array<[InputName, HTMLInputElement]> = [];
  for (const i of INPUTS) {
    const id = `in-${p.documentIndex}-${s.index}-${i.key}`;
    const input = el('input', {
      id,
      type: 'number',
      min: i.key === 'replicas' ? '1' : '0',
      step: i.step,
      value: String(Math.round(s.inputs[i.key].value * 1000) / 1000),
    });
    if (s.inputs[i.key].source !== 'declared') input.classList.add('assumed');
    fields.push([i.key, input]);
    form.append(el('label', { for: id }, `${i.label}${s.inputs[i.key].source === 'declared' ? '' : ` (${inputBasisLabel(s.inputs[i.key])})`}`), input);
  }
  const save = el('button', { type: 'submit', 'aria-label': `Write these assumptions to the estimate of ${s.name}` }, 'Save to estimate');
  form.append(save);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const estimate: Partial<Record<InputName, number>> = {};
    for (const [k, input] of fields) {
      const v = Number(input.value);
      // Only what the user changed is written; assumed values stay assumptions.
      if (input.value !== '' && Number.isFinite(v) && v !== Math.round(s.inputs[k].value * 1000) / 1000) estimate[k] = v;
    }
    if (Object.keys(estimate).length) vscode.postMessage({ type: 'setEstimate', documentIndex: p.documentIndex, stageIndex: s.index, estimate });
  });
  return form;
}

const runnerText = (r: { class: string; size: string; network: string }) => `${r.class} · ${r.size} · ${r.network}`;

function applyButton(p: PipelineEstimate, s: StageEstimate, r: RunnerOption, saving: string): HTMLButtonElement {
  const apply = el('button', { type: 'button', 'aria-label': `Apply ${r.class} ${r.size} ${r.network} to ${s.name}, ${saving} a month` }, 'Apply');
  apply.addEventListener('click', () =>
    vscode.postMessage({ type: 'apply', documentIndex: p.documentIndex, stageIndex: s.index, class: r.class, size: r.size, network: r.network }),
  );
  return apply;
}

const savingText = (r: RunnerOption) => (r.savingUsd >= 0 ? `saves ${usd(r.savingUsd)}` : `costs ${usd(-r.savingUsd)} more`);

/** The stage's recommended runner (the same one hover and lenses show), then the other runners that pass. */
function alternatives(p: PipelineEstimate, s: StageEstimate): HTMLElement {
  const box = el('div', { class: 'alternatives' });
  const r = s.recommended;
  if (r && r.changes.length > 0) {
    box.append(
      el('h3', {}, 'Recommended runner'),
      el(
        'p',
        {},
        el('span', { class: 'runner' }, runnerText(r)),
        ' ',
        el('span', { class: 'num' }, usd(r.monthlyUsd)),
        ' ',
        el('span', { class: r.savingUsd > 0 ? 'saving' : 'muted' }, savingText(r)),
        ' ',
        applyButton(p, s, r, savingText(r)),
      ),
    );
  } else if (r) box.append(el('p', { class: 'muted' }, 'Runs on its recommended runner.'));
  else if (s.noRecommendation?.length) box.append(el('p', { class: 'notice' }, `No runner passes every check: ${s.noRecommendation.join(' ')}`));
  const others = s.alternatives.filter((a) => !(r && a.class === r.class && a.size === r.size && a.network === r.network));
  if (others.length === 0) return box;
  const list = el('ul', { 'aria-label': `Other runners that pass every check for ${s.name}` });
  for (const a of others.slice(0, 5)) {
    const saving = savingText(a);
    list.append(
      el(
        'li',
        {},
        el('span', { class: 'runner' }, runnerText(a)),
        ' ',
        el('span', { class: 'num' }, usd(a.monthlyUsd)),
        ' ',
        el('span', { class: a.savingUsd > 0 ? 'saving' : 'muted' }, saving),
        ' ',
        applyButton(p, s, a, saving),
      ),
    );
  }
  box.append(el('h3', {}, 'Other runners that pass every check'), list);
  return box;
}

function renderRecommendations(data: RecommendationsResult) {
  app.replaceChildren();
  const applyAll = el('button', { type: 'button', 'aria-label': 'Apply every recommendation' }, 'Apply all');
  applyAll.addEventListener('click', () => vscode.postMessage({ type: 'applyAllRecommendations' }));
  app.append(el('header', { class: 'toolbar' }, el('h1', {}, 'Runner recommendations'), el('div', { class: 'actions' }, applyAll)));
  if (data.error) app.append(el('p', { class: 'notice', role: 'status' }, data.error));
  const t = el('table', { class: 'stages' }, el('caption', {}, 'Declared and recommended runner per stage'));
  t.append(
    el('thead', {}, el('tr', {}, ...['Stage', 'Phase / workload', 'Declared', 'Recommended', 'Deviations', ''].map((h) => el('th', { scope: 'col' }, h)))),
  );
  const body = el('tbody');
  for (const s of data.stages) {
    const declared = `${s.declared.class ?? '?'} · ${s.declared.size ?? '?'} · ${s.declared.network ?? '?'}`;
    const rec = s.recommended
      ? `${runnerText(s.recommended)}${s.recommended.changes.length ? '' : ' (as declared)'}`
      : s.noRecommendation?.length
        ? `none: ${s.noRecommendation[0]}`
        : 'none until the stage is valid';
    const devs = el('ul', { class: 'deviations' });
    for (const d of s.deviations) {
      const link = el('a', { href: d.docs }, d.code);
      devs.append(el('li', { class: d.severity }, link, ' ', d.message));
    }
    // Waived findings, apart: not deviations anyone has to act on now, but never out of sight.
    const waived = el('ul', { class: 'waived', 'data-testid': 'waived' });
    for (const w of s.waived ?? []) waived.append(el('li', {}, el('a', { href: w.docs }, w.code), ' waived: ', w.summary));
    const cell = el('td');
    if (s.recommended && s.recommended.changes.length > 0) {
      const b = el('button', { type: 'button', 'aria-label': `Apply the recommendation to ${s.name}` }, 'Apply');
      b.addEventListener('click', () => vscode.postMessage({ type: 'applyRecommendation', documentIndex: s.documentIndex, stageIndex: s.index }));
      cell.append(b);
    }
    body.append(
      el(
        'tr',
        { class: s.deviations.length ? 'deviates' : '', 'data-stage': s.name },
        el('th', { scope: 'row' }, s.name),
        el('td', {}, `${s.phase ?? '?'} / ${s.workload ?? '?'}`),
        el('td', {}, declared),
        el('td', {}, rec),
        el('td', {}, s.deviations.length ? devs : '✓', ...(s.waived?.length ? [el('p', { class: 'muted' }, 'Waived:'), waived] : [])),
        cell,
      ),
    );
  }
  t.append(body);
  app.append(t);
  const m = el('table', { class: 'matrix' }, el('caption', {}, 'Selection matrix'));
  m.append(el('thead', {}, el('tr', {}, ...['Phase', 'Workload', 'Class', 'Typical networks'].map((h) => el('th', { scope: 'col' }, h)))));
  const mb = el('tbody');
  const active = new Set(data.stages.map((s) => `${s.phase}/${s.workload}`));
  for (const r of data.matrix)
    for (const w of r.workloads)
      mb.append(
        el(
          'tr',
          { class: active.has(`${r.phase}/${w}`) ? 'active' : '' },
          el('td', {}, r.phase),
          el('td', {}, w),
          el('td', {}, r.class),
          el('td', {}, r.networks.join(', ')),
        ),
      );
  m.append(mb);
  app.append(m);
}

function render(state: State) {
  if (state.kind === 'cost') renderCost(state.data);
  else renderRecommendations(state.data);
}

window.addEventListener('message', (event: MessageEvent) => {
  const msg = event.data as { type?: string; data?: unknown };
  if (msg?.type === 'estimate' && page === 'cost') {
    const state: State = { kind: 'cost', data: msg.data as CostEstimateResult };
    vscode.setState(state);
    render(state);
  } else if (msg?.type === 'recommendations' && page === 'recommendations') {
    const state: State = { kind: 'recommendations', data: msg.data as RecommendationsResult };
    vscode.setState(state);
    render(state);
  }
});

const saved = vscode.getState() as State | undefined;
if (saved?.kind === page) render(saved);
vscode.postMessage({ type: 'ready' });
