/** The four-letter permission column of a mapping, e.g. "rw-p" or "r--s". */
export interface Permissions {
  text: string;
  read: boolean;
  write: boolean;
  execute: boolean;
  /** 's' (MAP_SHARED) rather than 'p' (private, copy-on-write). */
  shared: boolean;
}

export function parsePermissions(text: string): Permissions | undefined {
  if (!/^[r-][w-][x-][ps]$/.test(text)) return undefined;
  return {
    text,
    read: text[0] === 'r',
    write: text[1] === 'w',
    execute: text[2] === 'x',
    shared: text[3] === 's',
  };
}
