/** Why a PID cannot be shown or watched: the same words for `show` and `watch`. */
const WHY: Record<'denied' | 'no-such-process' | 'kernel-thread' | 'zombie', string> = {
  denied: process.getuid?.() === 0
    ? 'not permitted (ptrace rules deny it even to root here)'
    : 'not permitted (another user\'s process; run as root)',
  'no-such-process': 'no such process',
  'kernel-thread': 'a kernel thread has no user memory',
  zombie: 'a zombie has no memory left',
};

export function describeUnreadable(reason: keyof typeof WHY): string {
  return WHY[reason];
}
