import { describe, expect, it } from '@jest/globals';
import { needsCommandLine, programName, type ProgramIdentity } from '../../src/reduce/programName.js';

const who = (exe: string | undefined, cmdline: string[], extra: Partial<ProgramIdentity> = {}): ProgramIdentity =>
  ({ exe, exeDeleted: false, statusName: 'comm', cmdline, ...extra });

describe('programName', () => {
  it.each([
    // [exe, cmdline, name]
    ['/usr/bin/python3.11', ['python3', '-m', 'http.server', '8000'], 'python3.11 -m http.server'],
    ['/usr/bin/python3.11', ['python3', '-u', '-W', 'ignore', '-m', 'celery', 'worker'], 'python3.11 -m celery'],
    ['/usr/bin/python3.11', ['/usr/bin/python3', '/srv/app/manage.py', 'runserver'], 'python3.11 manage.py'],
    ['/usr/bin/python3.11', ['python3', '-X', 'dev', 'job.py'], 'python3.11 job.py'],
    ['/usr/bin/python3.11', ['python3', '-c', 'import time; time.sleep(9)'], 'python3.11'],
    ['/usr/bin/python3.11', ['python3'], 'python3.11'],
    ['/usr/bin/node', ['node', '--max-old-space-size=512', '-r', 'dotenv/config', '/srv/api/server.js', '--port', '80'], 'node server.js'],
    ['/usr/bin/node', ['node', '-e', 'setInterval(()=>{},1e6)'], 'node'],
    ['/usr/lib/jvm/java-17-openjdk-amd64/bin/java', ['java', '-Xmx1g', '-cp', 'lib/*', '-jar', '/opt/app/app.jar', 'serve'], 'java app.jar'],
    ['/usr/lib/jvm/java-17-openjdk-amd64/bin/java', ['java', '-cp', 'a.jar:b.jar', 'com.example.Main'], 'java com.example.Main'],
    ['/usr/bin/bash', ['bash', '-c', 'while :; do sleep 1; done'], 'bash'],
    ['/usr/bin/bash', ['/bin/bash', '-e', '/usr/local/bin/backup.sh'], 'bash backup.sh'],
    ['/usr/bin/dash', ['sh', '-o', 'errexit', './run.sh'], 'dash run.sh'],
    ['/usr/bin/perl', ['perl', '-e', 'sleep 100'], 'perl'],
    ['/usr/bin/perl', ['perl', '-I', 'lib', 'bin/tool.pl'], 'perl tool.pl'],
    ['/usr/bin/ruby3.1', ['ruby', '--', 'script.rb'], 'ruby3.1 script.rb'],
    ['/usr/bin/sleep', ['sleep', '100'], 'sleep'],
    // A script read through a descriptor has no name worth showing ("bash 3" otherwise).
    ['/usr/bin/bash', ['bash', '/dev/fd/3'], 'bash'],
    ['/usr/bin/bash', ['bash', '/proc/self/fd/63'], 'bash'],
    // node after process.title = "npm exec footprint": the title is argv[0], nothing follows.
    ['/usr/bin/node', ['npm exec footprint'], 'node'],
    ['/usr/bin/python3.11', ['python3', '', 'job.py'], 'python3.11 job.py'],
  ])('%s %j -> %s', (exe, cmdline, name) => {
    expect(programName(who(exe, cmdline))).toBe(name);
  });

  it('without a readable exe (kernel thread, another user): the status name', () => {
    expect(programName(who(undefined, [], { statusName: 'kthreadd' }))).toBe('kthreadd');
  });

  it('a deleted executable is marked (the deleted-exe snapshot: "/tmp/fp-snap/my sleep (deleted)")', () => {
    expect(programName(who('/tmp/fp-snap/my sleep', ['/tmp/fp-snap/my sleep', '1000000'], { exeDeleted: true }))).toBe('my sleep (deleted)');
    expect(programName(who('/usr/bin/python3.11', ['python3', 'app.py'], { exeDeleted: true }))).toBe('python3.11 app.py (deleted)');
  });

  it('a program run from a memfd is named by its argv[0] and marked, not by the memfd', () => {
    // As seen on these machines: exe "/memfd:sealed-91173221a7ea (deleted)", comm "memfd:sealed-91".
    const sealed = { exeDeleted: true, statusName: 'memfd:sealed-91' };
    expect(programName(who('/memfd:sealed-91173221a7ea', ['line_io_tools/binary_backend', '--uid', '0'], sealed))).toBe('binary_backend (memfd)');
    expect(programName(who('/memfd:runc_cloned:/proc/self/exe', ['runc', 'init'], sealed))).toBe('runc (memfd)');
    expect(programName(who('/memfd:sealed-91173221a7ea', [], sealed))).toBe('memfd:sealed-91173221a7ea (memfd)');
    expect(needsCommandLine('/memfd:sealed-91173221a7ea')).toBe(true);
    expect(needsCommandLine('/memfd:runc_cloned:/proc/self/exe')).toBe(true);
    expect(needsCommandLine('/usr/bin/python3.11')).toBe(true);
    expect(needsCommandLine('python3.11')).toBe(true);
    expect(needsCommandLine('/usr/sbin/nginx')).toBe(false);
  });

  it('a hostile script name passes through unchanged (escaping is the renderer\'s job)', () => {
    expect(programName(who('/usr/bin/python3.11', ['/usr/bin/python3', '/tmp/x/evil\x1b[31m\nname.py']))).toBe('python3.11 evil\x1b[31m\nname.py');
  });
});
