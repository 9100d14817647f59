import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

// The in-extension-host entry point @vscode/test-electron expects. Mocha runs here because the
// tests need the real `vscode` module of the extension host; node:test runs everything else.
export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  mocha.addFile(join(__dirname, 'extension.test.js'));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      const stats = mocha.suite ? { tests: countTests(mocha.suite), failures } : { tests: 0, failures };
      if (process.env.BARECOUNT_E2E_RESULTS) writeFileSync(process.env.BARECOUNT_E2E_RESULTS, JSON.stringify(stats));
      console.log(`${stats.tests - failures} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} tests failed`));
      else resolve();
    });
  });
}

function countTests(suite: Mocha.Suite): number {
  return suite.tests.length + suite.suites.reduce((n, s) => n + countTests(s), 0);
}
