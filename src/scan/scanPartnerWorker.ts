/**
 * Entry of dist/scanPartnerWorker.cjs: the worker thread of ScanPartner
 * (scanPartner.ts), which takes its share of each scan it is sent.
 */
import { isMainThread, parentPort } from 'node:worker_threads';
import { needsCommandLine } from '../reduce/programName.js';
import { ProcReader } from '../kernel/procReader.js';
import { ScanFailure, ScanTally } from './scanProcesses.js';
import { JOINED, JOINED_IN, NEXT, OPEN, type PartnerReply, type PartnerRequest } from './scanPartnerProtocol.js';

/** The partner's side: claims processes until none are left, then sends its share back. */
function takePart(request: PartnerRequest): PartnerReply {
  const { id, state, pids } = request;
  const { cmdlineOnlyForInterpreters, ...rest } = request.options;
  if (Atomics.compareExchange(state, JOINED, OPEN, JOINED_IN) !== OPEN) return { id, kind: 'part', part: new ScanTally(new ProcReader(request.root), rest).part() };
  const tally = new ScanTally(new ProcReader(request.root), { ...rest, needsCmdline: cmdlineOnlyForInterpreters ? needsCommandLine : undefined });
  try {
    for (let index = Atomics.add(state, NEXT, 1); index < pids.length; index = Atomics.add(state, NEXT, 1)) tally.add(pids[index]);
  } catch (error) {
    Atomics.store(state, NEXT, pids.length);
    return { id, kind: error instanceof ScanFailure ? 'failure' : 'error', message: error instanceof Error ? error.message : String(error) };
  }
  return { id, kind: 'part', part: tally.part() };
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  port.on('message', (request: PartnerRequest) => port.postMessage(takePart(request)));
}
