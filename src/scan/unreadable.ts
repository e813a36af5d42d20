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

export function describeUnreadable(reason: Unreadable): string {
  return WHY[reason];
}
