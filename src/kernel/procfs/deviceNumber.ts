/**
 * A device number, the one identity a file has across the kernel's files: smaps
 * prints it as hex `MAJ:MIN` ("00:1a"), mountinfo as decimal ("0:26"), stat(2)
 * as one integer. All three become one text, decimal `MAJ:MIN`, so that a
 * mapping, a mount and a stat of a held descriptor can be matched (with the inode).
 */
export type DeviceNumber = string;

/** smaps' and maps' device column: hex MAJ:MIN (fs/proc/task_mmu.c, "%02x:%02x"). */
export function deviceFromMaps(text: string): DeviceNumber | undefined {
  const match = /^([0-9a-f]{1,8}):([0-9a-f]{1,8})$/.exec(text);
  return match === null ? undefined : `${parseInt(match[1], 16)}:${parseInt(match[2], 16)}`;
}

/** mountinfo's third field: decimal MAJ:MIN. */
export function deviceFromMountinfo(text: string): DeviceNumber | undefined {
  const match = /^(\d{1,10}):(\d{1,10})$/.exec(text);
  return match === null ? undefined : `${Number(match[1])}:${Number(match[2])}`;
}

/**
 * stat(2)'s st_dev as glibc and the kernel encode it (new_encode_dev /
 * gnu_dev_makedev): minor's low 8 bits, major's low 12 bits above them, the
 * rest of minor above that, the rest of major in the high word. A bigint keeps
 * every bit (fs.statSync(path, { bigint: true })).
 */
export function deviceFromStat(dev: number | bigint): DeviceNumber {
  const value = BigInt(dev);
  const major = ((value >> 8n) & 0xfffn) | ((value >> 32n) & 0xfffff000n);
  const minor = (value & 0xffn) | ((value >> 12n) & 0xffffff00n);
  return `${major}:${minor}`;
}
