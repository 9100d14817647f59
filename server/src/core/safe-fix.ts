import { readAllDocuments } from './yaml-read';
import type { Fix } from './types';
import { applyEdits } from './yaml-edit';

/**
 * The last line of defence for "a fix never breaks the file": before a fix is offered to an
 * editor or applied by fix-all, check that text which parsed still parses after it. Edits are
 * built to be right; this catches the shapes they were not built for (tags, explicit keys).
 */
export function keepsYamlValid(text: string, fix: Fix): boolean {
  try {
    const after = applyEdits(text, fix.edits);
    return readAllDocuments(after).every((d) => d.errors.length === 0);
  } catch {
    return false;
  }
}

export function parsesCleanly(text: string): boolean {
  try {
    return readAllDocuments(text).every((d) => d.errors.length === 0);
  } catch {
    return false;
  }
}
