// What the browser and end-to-end tests need from the system, provided by the test command itself
// (`npm test`): Debian's chromium (headless webview tests and the code-server workbench),
// libkrb5-dev (a native module code-server builds when the e2e tools are installed) and
// fonts-liberation (text in screenshots). Each run says what it checked and what it did.
//
// Missing packages are installed with apt-get when that can be done without asking anyone: as
// root, or through `sudo -n`. Otherwise the run stops before any test, naming the command to run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PACKAGES = [
  { name: 'chromium', present: () => existsSync('/usr/bin/chromium') },
  { name: 'libkrb5-dev', present: () => dpkgHas('libkrb5-dev') },
  { name: 'fonts-liberation', present: () => dpkgHas('fonts-liberation') },
];

function dpkgHas(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

export function ensureSystemDeps() {
  if (process.platform !== 'linux') {
    console.log('system packages: not Linux; the browser tests expect a chromium at /usr/bin/chromium');
    return true;
  }
  const missing = PACKAGES.filter((p) => !p.present()).map((p) => p.name);
  if (missing.length === 0) {
    console.log(`system packages: ${PACKAGES.map((p) => p.name).join(', ')} present`);
    return true;
  }
  const install = ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...missing];
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = !asRoot && onPath('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  if (!onPath('apt-get') || (!asRoot && !sudo)) {
    console.error(
      `system packages: missing ${missing.join(', ')}, and they cannot be installed without a password here.\n` +
        `Run: sudo apt-get update && sudo ${install.join(' ')}`,
    );
    return false;
  }
  const run = (args) => {
    console.log(`system packages: ${sudo ? 'sudo ' : ''}${args.join(' ')}`);
    const r = spawnSync(sudo ? 'sudo' : args[0], sudo ? ['-n', ...args] : args.slice(1), {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    return r.status === 0;
  };
  console.log(`system packages: installing ${missing.join(', ')} (needed by the browser and end-to-end tests)`);
  if (!run(['apt-get', 'update', '-qq']) || !run(install)) {
    console.error(`system packages: apt-get failed; install ${missing.join(', ')} and run the tests again`);
    return false;
  }
  return true;
}
