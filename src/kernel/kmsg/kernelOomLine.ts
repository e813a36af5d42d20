import { bytesToText, unescapeKmsg } from './byteText.js';

/**
 * The OOM killer's own lines in the kernel log, as /dev/kmsg gives them. Two
 * lines of mm/oom_kill.c name the victim:
 *   dump_oom_summary():   "oom-kill:constraint=C,nodemask=N,cpuset=S,mems_allowed=M[,oom_memcg=P][,task_memcg=P],task=COMM,pid=N,uid=N"
 *   __oom_kill_process(): "MESSAGE: Killed process N (COMM) total-vm:NkB, anon-rss:NkB, file-rss:NkB, shmem-rss:NkB, UID:N pgtables:NkB oom_score_adj:N"
 * where MESSAGE is "Out of memory", "Memory cgroup out of memory" or
 * "Out of memory (oom_kill_allocating_task)". The summary comes first, but only
 * when the header is not rate-limited (oom_kill_process: __ratelimit, 10 in
 * 5 s); the Killed line always comes. /dev/kmsg writes each byte of a message
 * below 0x20, from 0x7f, and the backslash as \xNN: a comm with a newline or
 * bytes that are not UTF-8 ("v\xff\x0ax\x5c)(" for v, 0xff, newline, x, \, ")(")
 * stays in one record, up to four characters a byte. Names and paths are
 * unescaped to their bytes and kept as text by bytesToText, the form the
 * cgroup walk gives paths in, so that a summary's task_memcg is a walked path.
 */

/** One kill as the kernel told it. Sizes in bytes (the kernel prints kB). */
export interface KernelOomKill {
  pid: number;
  /** The victim's comm (bytesToText of its bytes): at most 15 bytes, untrusted (a process names itself). */
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

const KILLED = /^(.{1,64}?): Killed process (\d{1,7}) \((.{0,64})\) total-vm:(\d{1,16})kB, anon-rss:(\d{1,16})kB, file-rss:(\d{1,16})kB, shmem-rss:(\d{1,16})kB, UID:(\d{1,10}) pgtables:(\d{1,16})kB oom_score_adj:(-?\d{1,4})$/;
/* The memcg paths and the comm can hold commas; pid and uid end the line, and the fields come in this order. */
const SUMMARY = /^oom-kill:constraint=([A-Z_]{1,40}),(.*?)(?:,oom_memcg=(.*?))?(?:,task_memcg=(.*?))?,task=(.{0,64}),pid=(\d{1,7}),uid=(\d{1,10})$/;

const KIB = 1024;
/** A comm is TASK_COMM_LEN (16) less its NUL; room for a kernel with longer ones. */
const MAX_NAME_BYTES = 64;
/** A memcg path is PATH_MAX at most in cgroup_path's buffer; a longer one is no kernel's. */
const MAX_PATH_BYTES = 4096;
/** What pr_cont_kernfs_path prints where it cannot give the path: no path. */
const NO_PATH = new Set(['(name too long)', '(error)']);

/** A name or path of a kernel line, as bytesToText keeps it; undefined where the escapes are not the kernel's or it is too long. */
function kernelText(escaped: string, maxBytes: number): string | undefined {
  const bytes = unescapeKmsg(escaped);
  return bytes === undefined || bytes.length > maxBytes ? undefined : bytesToText(bytes);
}

/** The kernel's Killed line, or undefined for any other line. */
export function parseKilledLine(message: string): Omit<KernelOomKill, 'constraint' | 'oomMemcg' | 'taskMemcg'> | undefined {
  const match = KILLED.exec(message);
  if (match === null) return undefined;
  const [, said, pid, escapedName, totalVm, anonRss, fileRss, shmemRss, uid, pageTables, adj] = match;
  const name = kernelText(escapedName, MAX_NAME_BYTES);
  if (name === undefined) return undefined;
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
  const [, constraint, , escapedOomMemcg, escapedTaskMemcg, escapedTask, pid, uid] = match;
  const task = kernelText(escapedTask, MAX_NAME_BYTES);
  const path = (escaped: string | undefined) => (escaped === undefined || NO_PATH.has(escaped) ? undefined : kernelText(escaped, MAX_PATH_BYTES) ?? null);
  const oomMemcg = path(escapedOomMemcg);
  const taskMemcg = path(escapedTaskMemcg);
  if (task === undefined || oomMemcg === null || taskMemcg === null) return undefined;
  const summary: KernelOomSummary = { constraint, task, pid: Number(pid), uid: Number(uid) };
  if (oomMemcg !== undefined) summary.oomMemcg = oomMemcg;
  if (taskMemcg !== undefined) summary.taskMemcg = taskMemcg;
  return summary;
}

/** A summary line in pieces longer than this is no kernel's: dropped. */
const MAX_SUMMARY_CHARS = 64 * 1024;

/**
 * The kills in a run of kernel log records, in order: each Killed line, with
 * the summary line before it when that named the same PID. A summary whose
 * cgroup paths overflowed the kernel's line comes in fragments (records
 * flagged "c"), joined here until the next record that is no fragment. Each
 * fragment was cut at the kernel's line length, so a memcg path longer than
 * about 1,000 bytes is cut short in it: a path that is no cgroup's, and the
 * victim is placed by other means (noticeKills). Everything else (the header,
 * the stack, the memory dump, the task table) is passed over.
 */
export class KernelOomLines {
  private summary: KernelOomSummary | undefined;
  private partial: string | undefined;

  /** Feeds one record (a message, and whether it continues the one before); returns a kill when it completes one. */
  take(message: string, continued = false): KernelOomKill | undefined {
    if (continued && this.partial !== undefined) {
      this.partial = this.partial.length + message.length > MAX_SUMMARY_CHARS ? undefined : this.partial + message;
      return undefined;
    }
    if (this.partial !== undefined) {
      this.summary = parseSummaryLine(this.partial);
      this.partial = undefined;
    }
    if (message.startsWith('oom-kill:')) {
      this.partial = message;
      this.summary = undefined;
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
