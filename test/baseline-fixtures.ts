/** Manifests for the baseline tests of the CLI (test/cli) and of the server (test/lsp): one pipeline, clean stages. */

export const stage = (name: string, size = 'small', extra = '') => `    - name: ${name}
      phase: normalization
      workload: medium-transform
      runner: { class: container, size: ${size}, network: private-vpc }
      estimate: { runsPerDay: 24, durationMinutes: 10, dataGb: 1 }
${extra}`;

export const manifest = (name: string, stages: string) => `apiVersion: barecount/v1
kind: Pipeline
metadata:
  name: ${name}
  owner: data-platform
  dataClassification: internal
  boundaries: [cloud-private]
  tags: { team: data, cost-center: fin-ops }
  budget: { monthlyUsd: 5000 }
spec:
  stages:
${stages}`;
