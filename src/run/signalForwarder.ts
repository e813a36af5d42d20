import { parseStat, parseStatSession } from '../kernel/procfs/stat.js';
import type { ProcReader } from '../kernel/procReader.js';
import type { TreeSample } from '../sample/treeSampler.js';
import { ENDING_SIGNALS, onSignals } from '../signals.js';
import { readSelfStat } from './selfUsage.js';

/**
 * Whether a SIGINT footprint got came from its terminal's keyboard: then the
 * terminal sent it to the whole foreground process group, CMD's tree included,
 * and passing it on would deliver it twice.
 */
function keyboardSignalsReachTree(reader: ProcReader): boolean {
  const session = parseStatSession(readSelfStat(reader));
  return session.ok && session.value.tpgid > 0 && session.value.tpgid === session.value.pgrp;
}

/**
 * SIGINT, SIGTERM and SIGHUP that footprint gets, passed on to every process of
 * CMD's tree (SIGINT not when the terminal's keyboard already sent it to them
 * all). Installed before CMD starts: a signal that comes before CMD exists is
 * passed on once it does, and none ever meets footprint without its handler
 * (which would end it and leave CMD running).
 */
export class SignalForwarder {
  /** Every signal received, in order, for the summary. */
  readonly forwarded: NodeJS.Signals[] = [];
  private childPid: number | undefined;
  private readonly early: NodeJS.Signals[] = [];
  private readonly remove: () => void;

  /** `lastSample`: the tree as last sampled, whose members get the signal too. */
  constructor(private readonly reader: ProcReader, private readonly lastSample: () => TreeSample | undefined) {
    this.remove = onSignals(ENDING_SIGNALS, (signal) => this.forward(signal));
  }

  /** CMD has started (pid undefined: it could not be): the signals that came before go to it now. */
  started(pid: number | undefined): void {
    this.childPid = pid;
    for (const signal of this.early.splice(0)) {
      try {
        if (pid !== undefined) process.kill(pid, signal);
      } catch {
        // exited already
      }
    }
  }

  release(): void {
    this.remove();
  }

  private forward(signal: NodeJS.Signals): void {
    this.forwarded.push(signal);
    if (this.childPid === undefined) {
      this.early.push(signal);
      return;
    }
    if (signal === 'SIGINT' && keyboardSignalsReachTree(this.reader)) return;
    const targets = new Map<number, number>([[this.childPid ?? -1, -1]]);
    // Not to processes that left the tree (a daemon): a terminal's Ctrl-C would not reach them either.
    for (const member of this.lastSample()?.members ?? []) if (!member.followed) targets.set(member.pid, member.startTime);
    for (const [pid, startTime] of targets) {
      if (pid <= 0) continue;
      // Only a process that is still the one sampled: its PID may have been reused since.
      if (startTime >= 0) {
        const stat = this.reader.read(`${pid}/stat`);
        const parsed = stat.ok ? parseStat(stat.text) : undefined;
        if (parsed?.ok !== true || parsed.value.startTime !== startTime) continue;
      }
      try {
        process.kill(pid, signal);
      } catch {
        // exited meanwhile
      }
    }
  }
}
