/**
 * One record of /dev/kmsg (Documentation/ABI/testing/dev-kmsg): each read()
 * returns one record, "PRIORITY,SEQUENCE,MICROSECONDS,FLAGS[,...];MESSAGE\n",
 * followed by dictionary lines that start with a space (" SUBSYSTEM=acpi").
 * The kernel escapes unprintable bytes of MESSAGE as \xNN, so a message is one line.
 * FLAGS "c" marks a fragment that continues the record before: a line printed
 * in pieces (pr_cont) longer than the kernel's line buffer (about 1,000 bytes:
 * an OOM summary naming a cgroup path of 4,000 bytes comes in five records).
 */
export interface KmsgRecord {
  sequence: number;
  /** Microseconds since boot (CLOCK_MONOTONIC). */
  microseconds: number;
  message: string;
  /** FLAGS holds "c": this message continues the record before. */
  continued: boolean;
}

export function parseKmsgRecord(text: string): KmsgRecord | undefined {
  const end = text.indexOf('\n');
  const first = end < 0 ? text : text.slice(0, end);
  const semicolon = first.indexOf(';');
  if (semicolon < 0) return undefined;
  const fields = first.slice(0, semicolon).split(',');
  if (fields.length < 4 || !/^\d{1,20}$/.test(fields[1]) || !/^\d{1,20}$/.test(fields[2])) return undefined;
  return { sequence: Number(fields[1]), microseconds: Number(fields[2]), message: first.slice(semicolon + 1), continued: fields[3].includes('c') };
}
