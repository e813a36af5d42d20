import { UsageError } from '../../errors.js';

/**
 * Values of the report's options that the tables (options/report.ts) and
 * several commands share: the groupings, and the readers of --pid and of a
 * whole number (--top), each failing with a usage error that names the option.
 */


export function parsePidList(value: string | string[] | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const text = Array.isArray(value) ? value.join(',') : String(value);
  const pids = text.split(',').map((part) => part.trim()).filter((part) => part !== '');
  if (pids.length === 0) throw new UsageError('--pid needs at least one PID');
  return pids.map((part) => {
    if (!/^\d+$/.test(part) || Number(part) <= 0) throw new UsageError(`--pid: "${part}" is not a PID`);
    return Number(part);
  });
}

export function parsePositiveInteger(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!/^\d+$/.test(text) || Number(text) <= 0) throw new UsageError(`${name}: "${text}" is not a positive whole number`);
  return Number(text);
}
