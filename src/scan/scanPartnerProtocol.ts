import type { ScanOptions, TallyPart } from './scanProcesses.js';

/** What the main thread and the scan's worker thread (scanPartner.ts, scanPartnerWorker.ts) say to each other. */

/** Slots of the shared state: the next index to claim, and whether the partner joined. */
export const NEXT = 0;
export const JOINED = 1;
export const OPEN = 0;
export const JOINED_IN = 1;
export const CLOSED = 2;

/** ScanOptions without its function, which cannot cross to a thread: whether only interpreters need their command line. */
export type PartnerOptions = Omit<ScanOptions, 'needsCmdline'> & { cmdlineOnlyForInterpreters: boolean };

export interface PartnerRequest {
  id: number;
  root: string;
  options: PartnerOptions;
  pids: Int32Array;
  state: Int32Array;
}

export type PartnerReply =
  | { id: number; kind: 'part'; part: TallyPart }
  | { id: number; kind: 'failure' | 'error'; message: string };

