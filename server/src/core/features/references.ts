import type { PipelineModel } from '../model';
import type { Span, TextEdit } from '../types';
import { spanOf } from '../yaml-ast';
import { replaceScalar } from '../yaml-edit';

/** Stage names and the `dependsOn` entries that refer to them: definition, references, rename. */

export interface StageSymbol {
  name: string;
  definition?: Span;
  references: Span[];
}

export function stageSymbolAt(pipeline: PipelineModel, offset: number): StageSymbol | undefined {
  const inside = (s: Span | undefined) => !!s && offset >= s.start && offset <= s.end;
  let name: string | undefined;
  for (const st of pipeline.stages) {
    if (inside(spanOf(st.name?.node))) name = st.name!.value;
    for (const d of st.dependsOn) if (inside(spanOf(d.node))) name = d.value;
  }
  if (name === undefined) return undefined;
  return stageSymbol(pipeline, name);
}

export function stageSymbol(pipeline: PipelineModel, name: string): StageSymbol {
  const def = pipeline.stages.find((s) => s.name?.value === name);
  return {
    name,
    ...(def?.name ? { definition: spanOf(def.name.node)! } : {}),
    references: pipeline.stages.flatMap((s) => s.dependsOn.filter((d) => d.value === name).map((d) => spanOf(d.node)!)),
  };
}

export const STAGE_NAME = /^[a-z][a-z0-9-]{0,62}$/;

export type RenameResult = { ok: true; edits: TextEdit[] } | { ok: false; reason: string };

export function renameStage(text: string, pipeline: PipelineModel, offset: number, newName: string): RenameResult {
  const sym = stageSymbolAt(pipeline, offset);
  if (!sym) return { ok: false, reason: 'Rename works on a stage name or a dependsOn entry.' };
  if (!STAGE_NAME.test(newName))
    return { ok: false, reason: `"${newName}" is not a valid stage name: use lower-case letters, digits and hyphens, starting with a letter.` };
  if (newName !== sym.name && pipeline.stages.some((s) => s.name?.value === newName))
    return { ok: false, reason: `A stage named "${newName}" already exists.` };
  const edits: TextEdit[] = [];
  for (const s of pipeline.stages) {
    if (s.name?.value === sym.name) edits.push(replaceScalar(s.name.node, newName, text));
    for (const d of s.dependsOn) if (d.value === sym.name) edits.push(replaceScalar(d.node, newName, text));
  }
  return { ok: true, edits };
}
