import { describe, expect, it } from '@jest/globals';
import { parseCmdline } from '../../../src/kernel/procfs/cmdline.js';
import { parseCgroupPath } from '../../../src/kernel/procfs/cgroup.js';
import { snapshotText } from '../../helpers/snapshots.js';

describe('parseCmdline over captured cmdline files', () => {
  it.each([
    ['node-many-mappings', 11163, ['node', '-e', 'setInterval(()=>{},1e6)']],
    ['deleted-exe', 11192, ['/tmp/fp-snap/my sleep', '1000000']],
    ['hostile-names', 11300, ['/usr/bin/python3', '/tmp/fp-hostile/evil\x1b[31m\nname.py']],
  ] as const)('%s PID %i', (snapshot, pid, args) => {
    expect(parseCmdline(snapshotText(snapshot, `${pid}/cmdline`))).toEqual(args);
  });

  it("a kernel thread's empty cmdline is no arguments", () => {
    expect(parseCmdline('')).toEqual([]);
  });

  it('a title rewritten in place (node: process.title = "my-worker title") is one argument, without its NUL padding', () => {
    // od -c /proc/PID/cmdline of that node process: the title, then 50 NULs where argv was.
    expect(parseCmdline(`my-worker title${'\0'.repeat(50)}`)).toEqual(['my-worker title']);
  });

  it('an empty argument in the middle is kept', () => {
    expect(parseCmdline("printf\0\0x\0")).toEqual(['printf', '', 'x']);
  });
});

describe('parseCgroupPath', () => {
  it('a hybrid (v1 + v2) host where only the memory controller says more than "/"', () => {
    // cat snapshots/node-many-mappings/proc/11163/cgroup
    expect(parseCgroupPath(snapshotText('node-many-mappings', '11163/cgroup'))).toBe('/process_api/158ba7659ce034f766fb52e55500f356');
  });

  it('the unified line wins when it names a unit', () => {
    expect(parseCgroupPath('0::/system.slice/ssh.service\n')).toBe('/system.slice/ssh.service');
  });
});
