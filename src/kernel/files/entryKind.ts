import { lstatSync } from 'node:fs';

/** What a name is, taken as it is (lstat: a symbolic link is not followed): a directory, a link, or neither (other kinds, or nothing there). */
export function entryKind(path: string): 'directory' | 'link' | 'none' {
  try {
    const stats = lstatSync(path);
    return stats.isDirectory() ? 'directory' : stats.isSymbolicLink() ? 'link' : 'none';
  } catch {
    return 'none';
  }
}
