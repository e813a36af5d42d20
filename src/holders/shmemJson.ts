import { SHMEM_SCHEMA } from '../model/schemas.js';
import { toSafeJson } from '../render/escapeText.js';
import type { ShmemView } from './selectShmem.js';

/**
 * `footprint shmem --json`: one document, `footprint.shmem/1` (docs/holders.md):
 * rows with kind, name, bytes and pids (and each holder), the rows -n left out,
 * and the machine's totals, whose parts add up to meminfo's Shmem; with
 * --by-cgroup, `cgroups` (shmemCgroupText.ts's shmemCgroupsJson).
 */
export function renderShmemJson(view: ShmemView, cgroups?: unknown[]): string {
  return `${toSafeJson({ schema: SHMEM_SCHEMA, rows: view.rows, rest: view.rest, totals: view.totals, ...(cgroups === undefined ? {} : { cgroups }) }, 2)}\n`;
}
