import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { COST_ESTIMATE, type CostEstimateResult } from '../../server/src/protocol';
import { changeLabel, usd } from './format';

/** The active manifest's monthly estimate against its budget; warning colours when over. */
export class CostStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('barecount.cost', vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly client: LanguageClient) {
    this.item.name = 'BareCount cost estimate';
    this.item.command = 'barecount.showCostEstimate';
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule(0)),
      vscode.languages.onDidChangeDiagnostics((e) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (active && e.uris.some((u) => u.toString() === active)) this.schedule(0);
      }),
    );
    this.schedule(0);
  }

  private schedule(delay: number) {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), delay);
  }

  private async update() {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || doc.languageId !== 'barecount' || doc.fileName.endsWith('barecount.policy.yaml')) {
      this.item.hide();
      return;
    }
    let est: CostEstimateResult | null = null;
    try {
      est = await this.client.sendRequest(COST_ESTIMATE, { uri: doc.uri.toString() });
    } catch {
      est = null;
    }
    if (!est || est.error || est.pipelines.length === 0) {
      this.item.text = '$(graph) cost: n/a';
      this.item.tooltip = est?.error ?? 'No pipeline to estimate';
      this.item.backgroundColor = undefined;
      this.item.show();
      return;
    }
    const total = est.totalUsd;
    const budget = est.pipelines.reduce((s, p) => s + p.budgetUsd, 0);
    const over = est.pipelines.some((p) => p.overBudget);
    // With barecount.baseline: the change against it, worded as every other surface words it.
    const ref = est.baseline?.ref;
    const change = ref !== undefined ? ` (${changeLabel(total, est.baseline!.totalUsd, ref)})` : '';
    const pipelineChange = (p: (typeof est.pipelines)[number]) => (ref !== undefined ? `, ${changeLabel(p.monthlyUsd, p.baselineMonthlyUsd, ref)}` : '');
    this.item.text = `$(graph) ${usd(total)}/mo of ${usd(budget)}${change}`;
    this.item.tooltip = `${est.pipelines.map((p) => `${p.name}: ${usd(p.monthlyUsd)} of ${usd(p.budgetUsd)}${p.overBudget ? ' (over budget)' : ''}${pipelineChange(p)}`).join('\n')}\nClick for the cost estimate panel.`;
    this.item.backgroundColor = over ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.color = over ? new vscode.ThemeColor('statusBarItem.warningForeground') : undefined;
    this.item.show();
  }

  dispose() {
    if (this.timer) clearTimeout(this.timer);
    this.item.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
