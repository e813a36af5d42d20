import { FIGURE_SPECS } from '../model/figures.js';

/** The most kills and victims one OOM report lists: past them a file is not one footprint wrote. */
const MAX_ENTRIES = 10_000;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function checkVictim(victim: unknown): string | undefined {
  if (!isObject(victim)) return 'not an object';
  if (!isCount(victim.pid) || (victim.pid as number) === 0) return '"pid" is not a PID';
  if (victim.by !== 'kernel' && victim.by !== 'gone') return '"by" is neither "kernel" nor "gone"';
  for (const field of ['name', 'kernelLine', 'group'] as const) {
    if (victim[field] !== undefined && typeof victim[field] !== 'string') return `"${field}" is not text`;
  }
  if (victim.groupProcesses !== undefined && !isCount(victim.groupProcesses)) return '"groupProcesses" is not a whole number';
  if (victim.atKill !== undefined) {
    if (!isObject(victim.atKill)) return '"atKill" is not an object';
    for (const field of ['anonRss', 'fileRss', 'shmemRss', 'totalVm', 'uid'] as const) {
      if (!isCount(victim.atKill[field])) return `"atKill.${field}" is not a whole number`;
    }
    if (!Number.isSafeInteger(victim.atKill.oomScoreAdj)) return '"atKill.oomScoreAdj" is not a whole number';
  }
  if (victim.lastSeen !== undefined) {
    if (!isObject(victim.lastSeen)) return '"lastSeen" is not an object';
    for (const figure of FIGURE_SPECS) {
      const value = victim.lastSeen[figure.key];
      // An optional figure (oomScore) is absent where it was not known; the rest are always there.
      if (figure.optional === true && value === undefined) continue;
      if (!Number.isSafeInteger(value)) return `"lastSeen.${figure.key}" is not a whole number${figure.unit === 'score' ? '' : ' of bytes'}`;
    }
  }
  return undefined;
}

function checkKill(kill: unknown): string | undefined {
  if (!isObject(kill)) return 'not an object';
  if (kill.cgroup !== undefined && typeof kill.cgroup !== 'string') return '"cgroup" is not text';
  if (!isCount(kill.count)) return '"count" is not a whole number';
  if (!Array.isArray(kill.victims) || kill.victims.length > MAX_ENTRIES) return '"victims" is not a list';
  for (let index = 0; index < kill.victims.length; index++) {
    const problem = checkVictim(kill.victims[index]);
    if (problem) return `victims[${index}]: ${problem}`;
  }
  if (kill.gone !== undefined && (!Array.isArray(kill.gone) || kill.gone.length > MAX_ENTRIES || !kill.gone.every(isCount))) return '"gone" is not a list of PIDs';
  return undefined;
}

/** Checks the `oom` field of an OOM report (see model/oomMark.ts); the reason it is not one, as data. */
export function checkOomMark(value: unknown): string | undefined {
  if (!isObject(value)) return 'not an object';
  if (typeof value.noticedAt !== 'string' || Number.isNaN(Date.parse(value.noticedAt))) return 'no valid "noticedAt"';
  if (value.machineKills !== undefined && !isCount(value.machineKills)) return '"machineKills" is not a whole number';
  if (!Array.isArray(value.kills) || value.kills.length > MAX_ENTRIES) return 'no "kills" list';
  for (let index = 0; index < value.kills.length; index++) {
    const problem = checkKill(value.kills[index]);
    if (problem) return `kills[${index}]: ${problem}`;
  }
  return undefined;
}
