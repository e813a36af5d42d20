/** One line of /proc/PID/mountinfo, the fields footprint uses. */
export interface MountEntry {
  /** Where it is mounted, with the kernel's octal escapes (\040 for a space) undone. */
  mountPoint: string;
  fsType: string;
  /** The filesystem's own options (after the source): where procfs prints hidepid= and subset=. */
  superOptions: string[];
}

/** The kernel escapes space, tab, newline and backslash in paths as \ooo (fs/proc_namespace.c, mangle). */
function unescapeOctal(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** Every field of a mountinfo line footprint uses: the three above, the device and the mount's root. */
export interface MountFields extends MountEntry {
  /** MAJ:MIN of the file system: bind mounts of one share it. */
  device: string;
  /** The directory of the file system that this mount shows as its top ("/" unless a subtree was given), unescaped. */
  root: string;
}

/**
 * Reads mountinfo (proc(5)): "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS
 * [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS". Lines that do not have that
 * shape are passed over: this file only informs (the coverage line, where the cgroup hierarchies are).
 */
export function readMountinfoFields(text: string): MountFields[] {
  const entries: MountFields[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const separator = fields.indexOf('-', 6);
    if (fields.length < 7 || separator < 0 || fields.length < separator + 4) continue;
    entries.push({
      device: fields[2],
      root: unescapeOctal(fields[3]),
      mountPoint: unescapeOctal(fields[4]),
      fsType: fields[separator + 1],
      superOptions: fields[separator + 3].split(','),
    });
  }
  return entries;
}

/** Mountinfo's mounts: where, which type, the file system's own options. */
export function parseMountinfo(text: string): MountEntry[] {
  return readMountinfoFields(text).map(({ mountPoint, fsType, superOptions }) => ({ mountPoint, fsType, superOptions }));
}

/**
 * What a procfs mount hides, from its options: `hidepid=` (Linux 3.3; printed
 * as 1/2 before 5.8, noaccess/invisible/ptraceable since) makes other users'
 * processes invisible when it is invisible (2) or ptraceable (4: all but those
 * one may ptrace); noaccess (1) leaves them listed but unreadable, which the
 * scan counts as denied. Undefined when the mount hides no process.
 */
export function hidingOption(entry: MountEntry): string | undefined {
  if (entry.fsType !== 'proc') return undefined;
  const hidepid = entry.superOptions.find((option) => option.startsWith('hidepid='));
  if (hidepid === undefined) return undefined;
  const value = hidepid.slice('hidepid='.length);
  return ['2', 'invisible', '4', 'ptraceable'].includes(value) ? hidepid : undefined;
}

/** The mount at this path: the last one listed, which covers any earlier one there. */
export function mountAt(entries: readonly MountEntry[], mountPoint: string): MountEntry | undefined {
  for (let i = entries.length - 1; i >= 0; i--) if (entries[i].mountPoint === mountPoint) return entries[i];
  return undefined;
}
