/**
 * The OOM killer's own lines in the kernel log, as /dev/kmsg gives them. Two
 * lines of mm/oom_kill.c name the victim:
 *   dump_oom_summary():   "oom-kill:constraint=C,nodemask=N,cpuset=S,mems_allowed=M[,oom_memcg=P][,task_memcg=P],task=COMM,pid=N,uid=N"
 *   __oom_kill_process(): "MESSAGE: Killed process N (COMM) total-vm:NkB, anon-rss:NkB, file-rss:NkB, shmem-rss:NkB, UID:N pgtables:NkB oom_score_adj:N"
 * where MESSAGE is "Out of memory", "Memory cgroup out of memory" or
 * "Out of memory (oom_kill_allocating_task)". The summary comes first, but only
 * when the header is not rate-limited; the Killed line always comes.
 */

/** One kill as the kernel told it. Sizes in bytes (the kernel prints kB). */
export interface KernelOomKill {
  pid: number;
  /** The victim's comm: at most 15 bytes, untrusted (a process names itself). */
  name: string;
  /** "Memory cgroup out of memory" (a cgroup's limit), "Out of memory" (the machine), ... */
  message: string;
  totalVm: number;
  anonRss: number;
  fileRss: number;
  shmemRss: number;
  uid: number;
  pageTables: number;
  oomScoreAdj: number;
  /** From the summary line that came before, when it did and named the same PID. */
  constraint?: string;
  /** The cgroup whose limit was hit, and the victim's own (paths in the memory hierarchy). */
  oomMemcg?: string;
  taskMemcg?: string;
  /** The Killed line as the kernel wrote it. */
  line: string;
}

export interface KernelOomSummary {
  constraint: string;
  oomMemcg?: string;
  taskMemcg?: string;
  task: string;
  pid: number;
  uid: number;
}

const KILLED = /^(.{1,64}?): Killed process (\d{1,7}) \((.{0,16})\) total-vm:(\d{1,16})kB, anon-rss:(\d{1,16})kB, file-rss:(\d{1,16})kB, shmem-rss:(\d{1,16})kB, UID:(\d{1,10}) pgtables:(\d{1,16})kB oom_score_adj:(-?\d{1,4})$/;
/* The memcg paths and the comm can hold commas; pid and uid end the line, and the fields come in this order. */
const SUMMARY = /^oom-kill:constraint=([A-Z_]{1,40}),(.*?)(?:,oom_memcg=(.*?))?(?:,task_memcg=(.*?))?,task=(.{0,16}),pid=(\d{1,7}),uid=(\d{1,10})$/;

const KIB = 1024;

/** The kernel's Killed line, or undefined for any other line. */
export function parseKilledLine(message: string): Omit<KernelOomKill, 'constraint' | 'oomMemcg' | 'taskMemcg'> | undefined {
  const match = KILLED.exec(message);
  if (match === null) return undefined;
  const [, said, pid, name, totalVm, anonRss, fileRss, shmemRss, uid, pageTables, adj] = match;
  return {
    pid: Number(pid), name, message: said,
    totalVm: Number(totalVm) * KIB, anonRss: Number(anonRss) * KIB, fileRss: Number(fileRss) * KIB, shmemRss: Number(shmemRss) * KIB,
    uid: Number(uid), pageTables: Number(pageTables) * KIB, oomScoreAdj: Number(adj), line: message,
  };
}

/** The kernel's oom-kill summary line, or undefined for any other line. */
export function parseSummaryLine(message: string): KernelOomSummary | undefined {
  const match = SUMMARY.exec(message);
  if (match === null) return undefined;
  const [, constraint, , oomMemcg, taskMemcg, task, pid, uid] = match;
  const summary: KernelOomSummary = { constraint, task, pid: Number(pid), uid: Number(uid) };
  if (oomMemcg !== undefined) summary.oomMemcg = oomMemcg;
  if (taskMemcg !== undefined) summary.taskMemcg = taskMemcg;
  return summary;
}

/**
 * The kills in a run of kernel log messages, in order: each Killed line, with
 * the summary line before it when that named the same PID. Everything else
 * (the header, the stack, the memory dump, the task table) is passed over.
 */
export class KernelOomLines {
  private summary: KernelOomSummary | undefined;

  /** Feeds one message; returns a kill when the message completes one. */
  take(message: string): KernelOomKill | undefined {
    if (message.startsWith('oom-kill:')) {
      this.summary = parseSummaryLine(message);
      return undefined;
    }
    const killed = parseKilledLine(message);
    if (killed === undefined) return undefined;
    const summary = this.summary?.pid === killed.pid ? this.summary : undefined;
    this.summary = undefined;
    if (summary === undefined) return killed;
    const kill: KernelOomKill = { ...killed, constraint: summary.constraint };
    if (summary.oomMemcg !== undefined) kill.oomMemcg = summary.oomMemcg;
    if (summary.taskMemcg !== undefined) kill.taskMemcg = summary.taskMemcg;
    return kill;
  }
}
