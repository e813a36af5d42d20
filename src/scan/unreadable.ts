/**
 * Why one process asked for by PID cannot be read: what readProcessMappings
 * returns, and what `show` and `watch` say of it, in the same words.
 */
export type Unreadable = 'denied' | 'no-such-process' | 'kernel-thread' | 'zombie';

const WHY: Record<Unreadable, string> = {
  denied: process.getuid?.() === 0
    ? 'not permitted (ptrace rules deny it even to root here)'
    : 'not permitted (another user\'s process; run as root)',
  'no-such-process': 'no such process',
  'kernel-thread': 'a kernel thread has no user memory',
  zombie: 'a zombie has no memory left',
};

/**
 * In a captured tree (--proc-root of `footprint capture`'s) a process whose
 * files are not there was one the user who captured could not read: that is
 * the reason, whoever reads the capture now (root told to run as root would be
 * no help).
 */
const CAPTURED_DENIED = 'not in the capture (the user who captured could not read it)';

export function describeUnreadable(reason: Unreadable, where: { captured: boolean } = { captured: false }): string {
  return reason === 'denied' && where.captured ? CAPTURED_DENIED : WHY[reason];
}
