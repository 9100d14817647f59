// npm run fuzz: the fuzz tests with many more cases than CI, from a fresh seed unless
// FUZZ_SEED is set (the seed is printed so a failure replays: FUZZ_SEED=<seed> npm run fuzz).
import { spawnSync } from 'node:child_process';

const seed = process.env.FUZZ_SEED ?? String(Date.now() % 2147483647);
const runs = process.env.FUZZ_RUNS ?? '20000';
const steps = process.env.FUZZ_SERVER_STEPS ?? '5000';
console.log(`fuzz: seed ${seed}, ${runs} runs a property, ${steps} server steps`);
const b = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (b.status !== 0) process.exit(1);
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', 'test/fuzz/engine.test.ts', 'test/fuzz/server.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, FUZZ_SEED: seed, FUZZ_RUNS: runs, FUZZ_SERVER_STEPS: steps },
});
process.exit(r.status ?? 1);
