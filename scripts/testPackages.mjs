// `npm test`'s first step (npm runs "pretest" before "test"): the system
// packages the tests need, and what each is for, in one list. Missing ones are
// installed as root with apt-get (one quiet `apt-get update` first); without
// root or without apt-get, one line names them and the command that installs
// them, and the suite does not start. No test skips because a peer is missing.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Debian package, the commands (on PATH) or files it provides that the tests use, and why. */
export const TEST_PACKAGES = [
  { name: 'gcc', commands: ['cc'], for: 'builds the test processes of exactly known memory (test/fixtures/*.c)' },
  { name: 'libc6-dev', files: ['/usr/include/stdlib.h'], for: "the C library's headers for those programs" },
  { name: 'util-linux', commands: ['setpriv', 'mount'], for: 'drops to user nobody for the unprivileged tests; mounts test file systems' },
  { name: 'procps', commands: ['ps'], for: 'ps, for the RSS-only fallback (ps-list) test' },
  { name: 'python3', commands: ['python3'], for: 'the interpreter whose processes the naming tests start' },
  { name: 'smem', commands: ['smem'], for: "the peer whose USS and PSS the live tests compare with" },
  { name: 'smemstat', commands: ['smemstat'], for: 'a peer of the bench' },
  { name: 'time', files: ['/usr/bin/time'], for: "GNU time, whose page faults run's are compared with" },
  { name: 'tmux', commands: ['tmux'], for: "a terminal for watch's full-screen view" },
  { name: 'chromium', commands: ['chromium'], for: 'renders the history --html and run --html pages' },
  { name: 'prometheus', commands: ['prometheus', 'promtool'], for: 'a real Prometheus scrapes serve; promtool lints the metrics' },
  { name: 'prometheus-node-exporter', commands: ['prometheus-node-exporter'], for: "node_exporter's textfile collector reads export's file" },
  { name: 'man-db', commands: ['man'], for: 'renders the man page the build makes from --help' },
  { name: 'openssl', commands: ['openssl'], for: "makes the certificates of serve's TLS tests" },
];

function onPath(command) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not in this one
    }
  }
  return false;
}

export function missingPackages(packages = TEST_PACKAGES) {
  return packages.filter((pkg) => !(pkg.commands ?? []).every(onPath) || !(pkg.files ?? []).every((file) => existsSync(file)));
}

function installLine(names) {
  return `apt-get install -y --no-install-recommends ${names.join(' ')}`;
}

function install(names) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', DEBCONF_NOWARNINGS: 'yes' };
  const quiet = { env, stdio: ['ignore', 'ignore', 'inherit'] };
  process.stderr.write(`footprint tests: installing ${names.join(', ')} with apt-get\n`);
  if (spawnSync('apt-get', ['update', '-qq'], quiet).status !== 0) return false;
  return spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], quiet).status === 0;
}

function main() {
  const missing = missingPackages();
  if (missing.length === 0) return 0;
  const names = missing.map((pkg) => pkg.name);
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !onPath('apt-get')) {
    const why = isRoot ? 'no apt-get here' : 'not root';
    process.stderr.write(`footprint tests need ${names.join(', ')} (${why}); install them with: sudo ${installLine(names)}\n`);
    return 1;
  }
  const stillMissing = install(names) ? missingPackages().map((pkg) => pkg.name) : names;
  if (stillMissing.length > 0) {
    process.stderr.write(`footprint tests need ${stillMissing.join(', ')}, which apt-get did not install; try: ${installLine(stillMissing)}\n`);
    return 1;
  }
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main();
