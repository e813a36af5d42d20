/**
 * Names a program for the default grouping: the basename of its executable,
 * or the kernel's name when the executable cannot be read. For interpreters
 * the script or module they run names the program better than "python3 (40)".
 */
export interface ProgramIdentity {
  exe?: string;
  exeDeleted: boolean;
  statusName: string;
  cmdline: string[];
}

export function basename(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? path : path.slice(slash + 1);
}

type Interpreter = 'python' | 'node' | 'perl' | 'ruby' | 'java' | 'shell' | 'php' | 'lua';

const INTERPRETERS: [RegExp, Interpreter][] = [
  [/^python[0-9.]*[dmu]?$|^pypy[0-9.]*$/, 'python'],
  [/^(node|nodejs|bun|deno)$/, 'node'],
  [/^perl[0-9.]*$/, 'perl'],
  [/^ruby[0-9.]*$/, 'ruby'],
  [/^java$/, 'java'],
  [/^(bash|sh|dash|zsh|ksh|mksh|fish|busybox)$/, 'shell'],
  [/^php[0-9.]*(-cgi|-fpm)?$/, 'php'],
  [/^lua[0-9.]*$|^luajit$/, 'lua'],
];

/** Whether a program of this name is named by the script it runs (so its command line is needed). */
export function isInterpreter(exeName: string): boolean {
  return interpreterOf(exeName) !== undefined;
}

export function interpreterOf(exeName: string): Interpreter | undefined {
  // Indexed, not for...of: called per process per scan, and serve runs baseline code only (--max-opt=1).
  for (let index = 0; index < INTERPRETERS.length; index++) if (INTERPRETERS[index][0].test(exeName)) return INTERPRETERS[index][1];
  return undefined;
}

/** Options that take the next argument as their value, per interpreter. */
const OPTIONS_WITH_VALUE: Record<Interpreter, Set<string>> = {
  python: new Set(['-W', '-X', '-Q']),
  node: new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '--conditions', '-C', '--title']),
  perl: new Set(['-I', '-M', '-m']),
  ruby: new Set(['-I', '-r', '-C', '-E']),
  java: new Set(['-cp', '-classpath', '--class-path', '-p', '--module-path', '--add-modules', '--add-opens', '--add-exports']),
  shell: new Set(['-o', '-O', '+O', '+o']),
  php: new Set(['-c', '-d', '-z']),
  lua: new Set(['-l']),
};

/** Options whose argument is code on the command line, not a script file. */
const INLINE_CODE: Record<Interpreter, Set<string>> = {
  python: new Set(['-c']),
  node: new Set(['-e', '--eval', '-p', '--print']),
  perl: new Set(['-e', '-E']),
  ruby: new Set(['-e']),
  java: new Set(),
  shell: new Set(['-c']),
  php: new Set(['-r']),
  lua: new Set(['-e']),
};

/** The script, module or class an interpreter runs; undefined for inline code or a bare REPL. */
export function scriptOf(kind: Interpreter, args: string[]): string | undefined {
  for (let i = 1; i < args.length; i++) {
    const arg = args[i];
    const next = args[i + 1];
    if (arg === '') continue;
    if (kind === 'python' && arg === '-m') return next === undefined ? undefined : `-m ${next}`;
    if (kind === 'java' && arg === '-jar') return next === undefined ? undefined : basename(next);
    if (kind === 'java' && (arg === '-m' || arg === '--module')) return next;
    if (arg === '--') return next === undefined ? undefined : basename(next);
    if (INLINE_CODE[kind].has(arg)) return undefined;
    if (arg.startsWith('-') || (kind === 'shell' && arg.startsWith('+'))) {
      if (OPTIONS_WITH_VALUE[kind].has(arg)) i++;
      continue;
    }
    // A script fed through a file descriptor (`bash /dev/fd/3`, process substitution) has no name.
    if (/^\/(dev|proc\/self)\/fd\//.test(arg)) return undefined;
    return kind === 'java' ? arg : basename(arg);
  }
  return undefined;
}

/**
 * A program run from a memfd (runc's sealed copy, a packed or self-deleting
 * binary) has the exe "/memfd:NAME (deleted)" and that name as its comm too;
 * only its argv[0] says what it is.
 */
function isMemfdExecutable(exe: string): boolean {
  return exe.startsWith('/memfd:');
}

/** Whether naming a program needs its command line, given its exe path (else its kernel name). */
export function needsCommandLine(exeOrName: string): boolean {
  return isInterpreter(basename(exeOrName)) || isMemfdExecutable(exeOrName);
}

export function programName(identity: ProgramIdentity): string {
  // Another user's exe link is unreadable, but status and cmdline are not, so an
  // interpreter is still named by its script and both views agree.
  if (identity.exe !== undefined && isMemfdExecutable(identity.exe)) {
    const argv0 = basename(identity.cmdline[0] ?? '');
    return `${argv0 === '' ? identity.exe.slice(1) : argv0} (memfd)`;
  }
  const exeName = identity.exe === undefined ? identity.statusName : basename(identity.exe);
  const kind = interpreterOf(exeName);
  const script = kind === undefined ? undefined : scriptOf(kind, identity.cmdline);
  const name = script === undefined ? exeName : `${exeName} ${script}`;
  return identity.exeDeleted ? `${name} (deleted)` : name;
}
