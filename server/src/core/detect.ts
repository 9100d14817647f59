import { POLICY_FILE_NAME } from './policy';

/** Spec §1: which files are manifests and which are policies, from the name and first line. */

const MANIFEST_NAME = /\.barecount\.ya?ml$/i;
const FIRST_LINE = /^\uFEFF?apiVersion:\s*["']?barecount\/v1["']?\s*(#.*)?$/;

export function baseName(path: string): string {
  const norm = path.replace(/\\/g, '/');
  return norm.slice(norm.lastIndexOf('/') + 1);
}

export function isPolicyPath(path: string): boolean {
  return baseName(path) === POLICY_FILE_NAME;
}

export function isYamlPath(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}

export function isManifestByName(path: string): boolean {
  return MANIFEST_NAME.test(baseName(path)) && !isPolicyPath(path);
}

/** Whether a YAML file's first line marks it as a manifest. */
export function isManifestFirstLine(firstLine: string): boolean {
  return FIRST_LINE.test(firstLine.replace(/\r$/, ''));
}
