/** Realistic generated manifests for the benchmark: every matrix row, connections, secrets, env. */

const ROWS = [
  ['ingestion', 'webhook', 'serverless', 'public-egress', 'small', 'public-internet'],
  ['ingestion', 'api-poll', 'container', 'private-vpc', 'small', 'public-internet'],
  ['ingestion', 'bulk-extract', 'dedicated-compute', 'vpn', 'large', 'on-premise'],
  ['normalization', 'medium-transform', 'container', 'private-vpc', 'medium', 'cloud-private'],
  ['normalization', 'heavy-join', 'managed-etl', 'private-vpc', 'large', 'cloud-private'],
  ['kpi-materialization', 'tested-compute', 'container', 'private-vpc', 'medium', 'cloud-private'],
  ['kpi-materialization', 'window-backfill', 'managed-etl', 'private-vpc', 'xlarge', 'cloud-private'],
  ['publish', 'api-push', 'serverless', 'public-egress', 'small', 'public-internet'],
  ['orchestration', 'control-task', 'serverless', 'public-egress', 'small', 'public-internet'],
] as const;

export function generateManifest(stages: number, name = 'bench-pipeline'): string {
  const out: string[] = [
    '# Generated for the benchmark.',
    'apiVersion: barecount/v1',
    'kind: Pipeline',
    'metadata:',
    `  name: ${name}`,
    '  owner: data-platform',
    '  description: Generated pipeline',
    '  dataClassification: internal',
    '  boundaries: [public-internet, cloud-private, on-premise]',
    '  tags: { cost-center: fin-ops, team: bench }',
    '  budget: { monthlyUsd: 1000000 }',
    'spec:',
    '  defaults:',
    '    runner: { class: container, size: medium, network: private-vpc }',
    '  stages:',
  ];
  for (let i = 0; i < stages; i++) {
    const [phase, workload, cls, network, size, location] = ROWS[i % ROWS.length]!;
    out.push(
      `    - name: stage-${i}`,
      `      phase: ${phase}`,
      `      workload: ${workload}`,
      '      runner:',
      `        class: ${cls}`,
      `        size: ${size}`,
      `        network: ${network}`,
      ...(i > 0 ? [`      dependsOn: [stage-${i - 1}]`] : []),
      '      connections:',
      `        - { name: source-${i}, kind: http-api, location: ${location}, direction: read }`,
      `        - { name: lake-${i}, kind: object-store, location: ${network === 'public-egress' ? 'public-internet' : 'cloud-private'}, direction: write }`,
      '      secrets:',
      `        - { name: TOKEN_${i}, ref: "secret://bench/token-${i}" }`,
      '      env:',
      '        LOG_LEVEL: info',
      `        SOURCE_TOKEN: "\${secret:TOKEN_${i}}"`,
      `      schedule: { cron: "${i % 60} * * * *" }`,
      `      estimate: { durationMinutes: ${1 + (i % 10)}, dataGb: ${(i % 7) + 1} }`,
    );
  }
  return out.join('\n') + '\n';
}
