/**
 * Seeded, randomised manifests for the benchmark, so that no figure depends on one regular file.
 * Each stage draws its own structure: block or flow runner, block or flow connection lists (and
 * empty ones), comments after values and between stages, anchors on one stage reused by aliases
 * in later ones, block scalars (`|`, `>-`), quoted and escaped strings, unknown keys, and keys in
 * varying order. A dirty corpus also puts a finding in about one stage in six, of every kind the
 * rules report (schema errors, matrix, reachability, policy, secrets, graph, cost, ignores).
 */

const ROWS = [
  ['ingestion', 'webhook', 'serverless', 'public-egress', 'small', ['webhook', 'public-internet']],
  ['ingestion', 'small-batch', 'serverless', 'public-egress', 'small', ['sftp', 'public-internet']],
  ['ingestion', 'api-poll', 'container', 'private-vpc', 'small', ['http-api', 'public-internet']],
  ['ingestion', 'bulk-extract', 'dedicated-compute', 'vpn', 'large', ['jdbc', 'on-premise']],
  ['normalization', 'medium-transform', 'container', 'private-vpc', 'medium', ['object-store', 'cloud-private']],
  ['normalization', 'heavy-join', 'managed-etl', 'private-vpc', 'large', ['warehouse', 'cloud-private']],
  ['kpi-materialization', 'tested-compute', 'container', 'private-vpc', 'medium', ['warehouse', 'cloud-private']],
  ['kpi-materialization', 'window-backfill', 'managed-etl', 'private-vpc', 'xlarge', ['warehouse', 'cloud-private']],
  ['publish', 'api-push', 'serverless', 'public-egress', 'small', ['http-api', 'public-internet']],
  ['publish', 'file-export', 'serverless', 'public-egress', 'small', ['object-store', 'public-internet']],
  ['orchestration', 'control-task', 'serverless', 'public-egress', 'small', ['queue', 'public-internet']],
] as const;

/** Schema errors a dirty stage may carry (about one stage in 25, as in manifests being written). */
const SCHEMA_DIRT = [
  'bad-enum', // BC002: a misspelt class
  'bad-type', // BC002: a string where a number goes
  'unknown-key', // BC002: a key the schema does not know, inside the runner
  'missing-phase', // BC002: a required key left out
  'bad-name', // BC002: a name against the pattern
] as const;

/** Rule findings a dirty stage may carry, several at once. */
const DIRT = [
  'class-mismatch', // BC101 (+ BC304 often)
  'odd-network', // BC102
  'wrong-workload', // BC103
  'literal-secret', // BC201
  'unreachable', // BC202
  'boundary', // BC203
  'too-big', // BC301
  'serverless-long', // BC303
  'missing-secret', // BC206
  'duplicate-name', // BC501
  'unknown-dependency', // BC502
  'ignore-no-reason', // BC003
] as const;

export interface CorpusOptions {
  stages: number;
  seed: number;
  /** Put findings in most stages (about three per stage in all), schema errors in one in 25. */
  dirty: boolean;
  /**
   * Anchors and aliases (aliases in about one stage in thirty), block strings and escapes: YAML only the
   * library reads. Off, the file is what most hand-written manifests are: plain block and flow YAML
   * with comments and unknown keys. Default on.
   */
  unusual?: boolean;
  /**
   * Vary how the file is written, as people and tools write YAML, without changing what it says:
   * a `---` first line in about a third of files (with a `%YAML 1.2` line before it in a third of
   * those), a tab before comments in a quarter, Windows line ends in a fifth, a byte order mark in
   * a tenth. The benchmark turns it on; off by default, so tests can match lines by `\n`.
   */
  written?: boolean;
  name?: string;
}

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateCorpusManifest(o: CorpusOptions): string {
  const r = rng(o.seed);
  const chance = (p: number) => r() < p;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const name = o.name ?? `corpus-${o.seed}`;
  const unusual = o.unusual ?? true;
  const out: string[] = [
    `# Generated (seed ${o.seed}, ${o.stages} stages, ${o.dirty ? 'dirty' : 'clean'}).`,
    'apiVersion: barecount/v1',
    'kind: Pipeline',
    'metadata:',
    `  name: ${name}`,
    '  owner: data-platform   # the team on call',
    unusual && chance(0.5)
      ? '  description: |\n    Generated pipeline for the benchmark.\n    Second line of the description.'
      : "  description: 'Generated pipeline'",
    '  dataClassification: internal',
    chance(0.5) ? '  boundaries: [public-internet, cloud-private, on-premise]' : '  boundaries:\n    - public-internet\n    - cloud-private\n    - on-premise',
    `  tags: { cost-center: fin-ops, team: "bench" }`,
    '  budget:',
    '    monthlyUsd: 5000000',
    'spec:',
    '  defaults:',
    '    runner: { class: container, size: medium, network: private-vpc }',
    '  stages:',
  ];
  const names: string[] = [];
  let envAnchor: string | undefined;
  let estimateAnchor: string | undefined;
  for (let i = 0; i < o.stages; i++) {
    const row = pick(ROWS);
    const phase: string = row[0];
    let [workload, cls, network, size]: string[] = [row[1], row[2], row[3], row[4]];
    const kind: string = row[5][0];
    let location: string = row[5][1];
    const dirts = new Set<string>();
    if (o.dirty) {
      if (chance(0.04)) dirts.add(pick(SCHEMA_DIRT));
      for (let k = 0; k < 5; k++) if (chance(0.5)) dirts.add(pick(DIRT));
    }
    const has = (d: (typeof SCHEMA_DIRT)[number] | (typeof DIRT)[number]) => dirts.has(d);
    let stageName = `stage-${i}-${workload}`;
    if (has('bad-name')) stageName = `Stage_${i}`;
    if (has('duplicate-name') && names.length) stageName = pick(names);
    if (has('class-mismatch')) cls = cls === 'container' ? 'managed-etl' : 'container';
    if (has('odd-network')) network = network === 'private-vpc' ? 'vpn' : 'private-vpc';
    if (has('wrong-workload')) workload = phase === 'publish' ? 'heavy-join' : 'api-push';
    if (has('unreachable')) location = 'partner-network';
    if (has('boundary') && location === 'cloud-private') location = 'partner-network';
    if (has('too-big')) size = cls === 'serverless' ? 'large' : 'xlarge';
    if (has('serverless-long')) cls = 'serverless';
    const lines: string[] = [];
    if (i > 0 && chance(0.3)) lines.push('', `    # Stage ${i}: ${phase} / ${workload}`);
    if (has('ignore-no-reason')) lines.push('    # barecount-ignore BC101');
    else if (chance(0.03)) lines.push('    # barecount-ignore BC304: the vendor driver needs this runner');
    const fields: string[][] = [];
    fields.push([`name: ${chance(0.1) ? `"${stageName}"` : stageName}${chance(0.2) ? '   # owned by the data team' : ''}`]);
    if (!has('missing-phase')) fields.push([`phase: ${phase}`]);
    fields.push([`workload: ${workload}`]);
    // The runner: block or flow, sometimes left to the defaults, sometimes with extra keys.
    const clsText = has('bad-enum') ? cls.slice(0, -1) : cls;
    const runnerStyle = r();
    const extra: string[] = [];
    if (has('unknown-key')) extra.push('memory: 4Gi');
    const justify = unusual && chance(0.05);
    if (runnerStyle < 0.15 && !extra.length && !justify && cls === 'container' && network === 'private-vpc' && size === 'medium') {
      // left to spec.defaults
    } else if (runnerStyle < 0.55 && !justify) {
      fields.push([`runner: { class: ${clsText}, size: ${size}, network: ${network}${extra.map((e) => `, ${e}`).join('')} }`]);
    } else {
      const block = [
        'runner:',
        `  class: ${clsText}`,
        `  size: ${size}${chance(0.2) ? '  # sized for peak' : ''}`,
        `  network: ${network}`,
        ...extra.map((e) => `  ${e}`),
      ];
      if (justify) {
        if (chance(0.5)) block.push('  justification: >-', '    the vendor driver only runs here,', '    reviewed by the platform team');
        else block.push(`  justification: "needs the \\"legacy\\" driver"`);
      }
      fields.push(block);
    }
    // dependsOn: flow, block, empty, or none.
    if (i > 0) {
      const target = has('unknown-dependency') ? `stage-${i}-missing` : names[int(Math.max(0, names.length - 5), names.length - 1)]!;
      const style = r();
      if (style < 0.5) fields.push([`dependsOn: [${target}]`]);
      else if (style < 0.75) fields.push(['dependsOn:', `  - ${target}`]);
      else if (style < 0.85) fields.push(['dependsOn: []']);
    }
    // Connections: block list of flow maps, of block maps, a flow list, or an empty one.
    const conns = [
      { name: `src-${i}`, kind, location, direction: 'read' },
      { name: `out-${i}`, kind: 'object-store', location: network === 'public-egress' ? 'public-internet' : 'cloud-private', direction: 'write' },
    ].slice(0, int(1, 2));
    const cstyle = r();
    if (cstyle < 0.45) {
      fields.push(['connections:', ...conns.map((c) => `  - { name: ${c.name}, kind: ${c.kind}, location: ${c.location}, direction: ${c.direction} }`)]);
    } else if (cstyle < 0.8) {
      fields.push([
        'connections:',
        ...conns.flatMap((c) => [
          `  - name: ${c.name}`,
          `    kind: ${c.kind}`,
          `    location: ${c.location}${chance(0.2) ? ' # see the runbook' : ''}`,
          `    direction: ${c.direction}`,
        ]),
      ]);
    } else if (cstyle < 0.9) {
      fields.push([
        `connections: [${conns.map((c) => `{ name: ${c.name}, kind: ${c.kind}, location: ${c.location}, direction: ${c.direction} }`).join(', ')}]`,
      ]);
    } else fields.push(['connections: []']);
    // Secrets and env; an anchor on one stage's env reused by aliases further on.
    const secret = `TOKEN_${i}`;
    if (!has('missing-secret')) fields.push(['secrets:', `  - { name: ${secret}, ref: "secret://bench/token-${i}" }`]);
    if (has('literal-secret')) fields.push(['env:', '  LOG_LEVEL: info', `  API_PASSWORD: "hunter-${i}-${int(1000, 9999)}-pass"`]);
    else if (envAnchor && chance(0.02) && !has('missing-secret')) fields.push([`env: *${envAnchor}`]);
    else if (unusual && !envAnchor && chance(0.5) && !has('missing-secret')) {
      envAnchor = `env${i}`;
      fields.push([`env: &${envAnchor}`, '  LOG_LEVEL: info', '  REGION: eu-west-1']);
    } else {
      fields.push(['env:', "  LOG_LEVEL: 'info'", `  SOURCE_TOKEN: "\${secret:${secret}}"`]);
    }
    // Schedule: cron or event, flow or block.
    const sstyle = r();
    if (sstyle < 0.5) fields.push([`schedule: { cron: "${int(0, 59)} ${chance(0.5) ? '*' : int(0, 23)} * * *" }`]);
    else if (sstyle < 0.8) fields.push(['schedule:', `  cron: '${int(0, 59)} */${int(1, 6)} * * *'`]);
    else fields.push([`schedule: { event: bench.stage-${i}.done }`]);
    // Estimate: flow or block, sometimes an alias to a shared one.
    const duration = has('serverless-long') ? 45 : has('bad-type') ? '"ten"' : int(1, 14);
    if (estimateAnchor && chance(0.01) && dirts.size === 0) fields.push([`estimate: *${estimateAnchor}`]);
    else if (chance(0.5)) fields.push([`estimate: { durationMinutes: ${duration}, dataGb: ${int(1, 50)}${chance(0.3) ? `, runsPerDay: ${int(1, 24)}` : ''} }`]);
    else {
      const anchored = unusual && !estimateAnchor && chance(0.5);
      if (anchored) estimateAnchor = `est${i}`;
      fields.push([`estimate:${anchored ? ` &${estimateAnchor}` : ''}`, `  durationMinutes: ${duration}`, `  dataGb: ${int(1, 50)}`]);
    }
    if (o.dirty && chance(0.03)) fields.push(['retries: 3']); // unknown at stage level: BC002 on a clean-looking stage
    // Keys in a varying order after the name.
    const [first, ...rest] = fields;
    for (let k = rest.length - 1; k > 0; k--) {
      if (!chance(0.15)) continue;
      const j = int(0, k);
      [rest[k], rest[j]] = [rest[j]!, rest[k]!];
    }
    lines.push(`    - ${first![0]}`);
    for (const f of rest) for (const l of f) lines.push(`      ${l}`);
    out.push(...lines);
    names.push(stageName);
  }
  // Drawn after the content, which stays the same for a seed however the file is written.
  const start = chance(0.33);
  const tabs = chance(0.25);
  const crlf = chance(0.2);
  // A stage commented out after the last one (drawn last: the draws before it stay as they were).
  const retired = chance(0.33);
  // Drawn after those: a byte order mark (Windows tools write one), and a `%YAML 1.2` line before
  // the `---` of a file that has one.
  const bom = chance(0.1);
  const directive = chance(0.3);
  if (!o.written) return out.join('\n') + '\n';
  if (start) out.splice(1, 0, '--- # one pipeline');
  if (start && directive) out.splice(1, 0, '%YAML 1.2');
  if (retired) out.push('    # - name: retired-stage', '    #   phase: publish', '    #   workload: api-push');
  let text = out.join('\n') + '\n';
  if (tabs) text = text.replace(/(\S) +#/g, '$1\t#');
  if (bom) text = `\ufeff${text}`;
  return crlf ? text.replace(/\n/g, '\r\n') : text;
}

/** The seed each benchmark input uses: fixed, so runs compare; BENCH_SEED changes them all. */
export function benchSeed(offset: number): number {
  return Number(process.env.BENCH_SEED ?? 20261130) + offset;
}
