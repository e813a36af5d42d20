import type { CgroupsArgs } from '../options/cgroups.js';
import { hostname, release } from 'node:os';
import { findCapturedHierarchy, findHierarchy } from '../../cgroups/findHierarchy.js';
import { readLiveMountinfo } from '../../kernel/liveMountinfo.js';
import { readSelfPid } from '../../scan/procHiding.js';
import { readCgroupTree } from '../../cgroups/readCgroupTree.js';
import { allMembers, buildCgroupRows } from '../../cgroups/core/cgroupRows.js';
import { readUnmeasuredMembers } from '../../cgroups/readUnmeasuredMembers.js';
import { orderRows } from '../../cgroups/core/orderRows.js';
import { describeColumns, renderCgroupTable } from '../../render/renderCgroupTable.js';
import { renderCgroupParts } from '../../render/renderCgroupParts.js';
import { renderCgroupCsv } from '../../render/renderCgroupCsv.js';
import { CGROUPS_SCHEMA, type CgroupRow } from '../../cgroups/core/model.js';
import type { ProcessSample } from '../../model/processSample.js';
import { scanCgroupMembers } from '../../collect/scanStrategy.js';
import { toSafeJson } from '../../render/escapeText.js';
import { TOOL_NAME } from '../../version.js';
import { openProcRoot } from '../../collect/machineContext.js';
import { parsePositiveInteger } from '../values/report.js';
import { isFancyOutput, terminalWidth, writeStdout } from '../output.js';
import { ELLIPSIS, wrapLines } from '../../render/fitWidth.js';
import { EXIT_OK, RuntimeFailure, UsageError } from '../../errors.js';

export type { CgroupsArgs };

/** A cgroup named by its path in the hierarchy (/a/b) or by its directory under the mount point. */
function cgroupPathOf(text: string, mountPoint: string): string {
  let path = text.startsWith(`${mountPoint}/`) ? text.slice(mountPoint.length) : text === mountPoint ? '/' : text;
  if (!path.startsWith('/')) throw new UsageError(`cgroups: "${text}" is not a cgroup path (it starts with / or ${mountPoint}/)`);
  path = path.replace(/\/+$/, '') || '/';
  if (path.split('/').some((segment) => segment === '..' || segment === '.')) throw new UsageError(`cgroups: "${text}" has . or .. in it`);
  return path.replace(/\/{2,}/g, '/');
}

/** --depth N: 0 is the top alone. */
function parseDepth(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,3}$/.test(String(value))) throw new UsageError(`--depth: "${value}" is not a whole number`);
  return Number(value);
}

/** The rows a terminal shows without -n or --all: the largest by --sort. */
const TERMINAL_ROWS = 20;

export async function runCgroups(args: CgroupsArgs): Promise<number> {
  if (args.json && args.csv) throw new UsageError('--json and --csv cannot be used together');
  const depth = parseDepth(args.depth);
  if (args.all && args.top !== undefined) throw new UsageError('--all and -n cannot be used together');
  const top = parsePositiveInteger('--top', args.top);
  // A captured /proc without --cgroup-root: the hierarchy captured beside it (DIR/cgroup), never the live one.
  const procs = args.cgroupRoot !== undefined && args.procRoot === undefined ? undefined : openProcRoot(args.procRoot);
  const captured = args.cgroupRoot === undefined && procs !== undefined && !procs.bindsProcesses;
  const found = captured ? findCapturedHierarchy(args.procRoot!) : findHierarchy(args.cgroupRoot === undefined ? readLiveMountinfo() : undefined, args.cgroupRoot);
  if (!found.ok) {
    if (captured) throw new UsageError(`cgroups: ${found.reason}: every cgroup figure is unknown (give --cgroup-root)`);
    throw args.cgroupRoot !== undefined ? new UsageError(found.reason) : new RuntimeFailure(`cgroups: ${found.reason}`);
  }
  const { mount, reader } = found;
  const offline = args.cgroupRoot !== undefined || captured;
  const start = args.path === undefined ? '/' : cgroupPathOf(args.path, mount.mountPoint);
  const startDir = start === '/' ? '' : start.slice(1);
  if (start !== '/' && !Array.isArray(reader.children(startDir))) throw new UsageError(`cgroups: no memory cgroup ${start} under ${mount.mountPoint}`);

  // With a captured cgroup tree, only a captured /proc of the same moment can say who its members were (procs above).
  const scan = procs === undefined ? undefined : await scanCgroupMembers(procs);
  const tree = readCgroupTree(reader, { version: mount.version, start, maxDepth: depth, onlyStart: args.path !== undefined });
  const samples = scan === undefined ? undefined : new Map<number, ProcessSample>(scan.samples.map((sample) => [sample.pid, sample]));
  const unmeasured = [...allMembers(tree)].filter((pid) => !samples?.has(pid));
  const rows: CgroupRow[] = buildCgroupRows(tree, samples, procs === undefined ? undefined : readUnmeasuredMembers(procs, unmeasured), procs === undefined ? undefined : readSelfPid(procs));
  // A terminal shows the largest TERMINAL_ROWS unless told (-n, --all); a pipe, JSON and CSV get every cgroup unless -n is given, as ps does.
  const onTerminal = !args.json && !args.csv && terminalWidth() !== undefined;
  const limit = top ?? (args.all || !onTerminal ? undefined : TERMINAL_ROWS);
  const ordered = args.path !== undefined ? rows : orderRows(rows, { flat: args.flat, sort: args.sort, top: limit });

  if (args.json) {
    writeStdout(`${toSafeJson({
      schema: CGROUPS_SCHEMA,
      tool: TOOL_NAME,
      host: hostname(),
      kernel: release(),
      time: new Date().toISOString(),
      hierarchy: { version: mount.version, mountPoint: mount.mountPoint, root: mount.root, offline },
      processes: scan === undefined ? null : { measured: scan.counts.measured, denied: scan.counts.denied, kernelThreads: scan.counts.kernelThreads, gone: scan.counts.gone },
      cgroupsLeftOut: tree.leftOut,
      cgroups: ordered,
    }, 2)}\n`);
    return EXIT_OK;
  }
  if (args.csv) {
    writeStdout(renderCgroupCsv(ordered));
    return EXIT_OK;
  }
  const fancy = isFancyOutput();
  if (args.path !== undefined) {
    // On a terminal fitted to its width (--wide: whole), as the table of many is.
    writeStdout(renderCgroupParts(ordered[0], fancy, args.wide ? undefined : terminalWidth()));
    return EXIT_OK;
  }
  // On a terminal nothing wraps: names shortened in the middle (then columns left out), lines under the table wrapped at words.
  const width = args.wide ? undefined : terminalWidth();
  const out: string[] = [];
  out.push(`cgroup v${mount.version} memory hierarchy at ${mount.mountPoint}${mount.root === '/' ? '' : ` (its top is ${mount.root})`}\n`);
  const table = renderCgroupTable(ordered, { fancy, tree: !args.flat, width });
  const notShown = rows.length - ordered.length;
  if (notShown > 0) out.push(`${ELLIPSIS} ${notShown.toLocaleString('en-US')} more cgroup${notShown === 1 ? '' : 's'}: --all or -n N shows ${notShown === 1 ? 'it' : 'them'}.\n`);
  // Its lines are broken for a pipe's reader; on a terminal, one paragraph wrapped to the width.
  const columns = describeColumns(mount.version, scan !== undefined);
  out.push(width === undefined ? columns : `${columns.trimEnd().replace(/\n/g, ' ')}\n`);
  if (scan !== undefined && scan.counts.denied > 0) {
    const one = scan.counts.denied === 1;
    const why = procs!.bindsProcesses ? 'not permitted' : `not in the capture: the user who captured could not read ${one ? 'it' : 'them'}`;
    out.push(`${scan.counts.denied} process${one ? '' : 'es'} could not be measured (${why}): ${one ? 'its' : 'their'} writable memory is not in WRITABLE.\n`);
  }
  const partlyRead = ordered.filter((row) => row.unreadable.length > 0).length;
  if (partlyRead > 0) out.push(`${partlyRead} cgroup${partlyRead === 1 ? ' has' : 's have'} files footprint could not read or parse (\`footprint cgroups PATH\` names them).\n`);
  if (tree.leftOut > 0) out.push(`${tree.leftOut} cgroups left out (deeper than 64 or past 100,000).\n`);
  writeStdout(`${wrapLines(out[0], width)}${table}${out.slice(1).map((line) => wrapLines(line, width)).join('')}`);
  return EXIT_OK;
}
