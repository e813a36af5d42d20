import { describe, expect, test } from '@jest/globals';
import { chmodSync, lchownSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { foreignLinkProblem, makeOwnDirectory, ownDirectoryProblem, storeDirectoryProblem } from '../../src/store/ownDirectory.js';
import { tempDir } from '../helpers/storeFixtures.js';

/*
 * Which directories footprint trusts with its own files, on real directories
 * and links whose owner is really another user (user nobody, given with
 * lchown as root: the kernel records the same owner as when nobody makes them).
 */

const NOBODY = 65534;
const maybe = process.getuid?.() === 0 ? describe : describe.skip;

/** A link at `path` to `target`, owned by nobody. */
function nobodysLink(target: string, path: string): string {
  symlinkSync(target, path);
  lchownSync(path, NOBODY, NOBODY);
  return path;
}

maybe('foreignLinkProblem', () => {
  test('a path with no links, or with root\'s own, is fine; the walk stops at the first missing component', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'real'));
    symlinkSync('real', join(dir, 'mine'));
    expect(foreignLinkProblem(join(dir, 'real', 'file'))).toBeUndefined();
    expect(foreignLinkProblem(join(dir, 'mine', 'missing', 'deeper'))).toBeUndefined();
  });

  test('another user\'s link anywhere on the way is named, also inside the target of a link of one\'s own', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'elsewhere'));
    const theirs = nobodysLink(join(dir, 'elsewhere'), join(dir, 'theirs'));
    expect(foreignLinkProblem(join(theirs, 'out.prom'))).toBe(`${theirs} is a symbolic link of user ${NOBODY}`);
    // Root's link whose (relative, `..`) target passes through nobody's.
    mkdirSync(join(dir, 'sub'));
    symlinkSync('../sub/../theirs/x', join(dir, 'sub', 'via'));
    expect(foreignLinkProblem(join(dir, 'sub', 'via', 'out.prom'))).toBe(`${theirs} is a symbolic link of user ${NOBODY}`);
  });

  test('a loop of root\'s own links is left to the file system (it ends, and says nothing)', () => {
    const dir = tempDir();
    symlinkSync('b', join(dir, 'a'));
    symlinkSync('a', join(dir, 'b'));
    expect(foreignLinkProblem(join(dir, 'a', 'x'))).toBeUndefined();
  });
});

maybe('ownDirectoryProblem and makeOwnDirectory', () => {
  test('made here, 0700: fine; made again: fine', () => {
    const dir = tempDir();
    expect(makeOwnDirectory(join(dir, 'own'), 0o700)).toBeUndefined();
    expect(makeOwnDirectory(join(dir, 'own'), 0o700)).toBeUndefined();
  });

  test('a link, another user\'s directory, or one others can write in is refused', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'target'));
    symlinkSync(join(dir, 'target'), join(dir, 'link'));
    expect(makeOwnDirectory(join(dir, 'link'), 0o700)).toBe('it is a symbolic link, not a directory footprint made');
    mkdirSync(join(dir, 'theirs'));
    lchownSync(join(dir, 'theirs'), NOBODY, NOBODY);
    expect(ownDirectoryProblem(join(dir, 'theirs'))).toBe(`it belongs to user ${NOBODY}, not 0: footprint made no such directory`);
    mkdirSync(join(dir, 'open'));
    chmodSync(join(dir, 'open'), 0o777);
    expect(ownDirectoryProblem(join(dir, 'open'))).toBe('other users can write in it');
  });

  test('in a directory others can write in without the sticky bit, even a missing one is refused (it could be renamed away)', () => {
    const holder = tempDir();
    chmodSync(holder, 0o777);
    expect(makeOwnDirectory(join(holder, 'own'), 0o700)).toBe(`${holder}, which holds it: other users can write in it and it is not sticky`);
    chmodSync(holder, 0o1777);
    expect(makeOwnDirectory(join(holder, 'own'), 0o700)).toBeUndefined();
  });
});

maybe('storeDirectoryProblem', () => {
  test('root\'s directory in a sticky shared one is fine; another user\'s directory is not', () => {
    const shared = tempDir();
    chmodSync(shared, 0o1777);
    mkdirSync(join(shared, 'mine'));
    expect(storeDirectoryProblem(join(shared, 'mine'))).toBeUndefined();
    mkdirSync(join(shared, 'theirs'));
    lchownSync(join(shared, 'theirs'), NOBODY, NOBODY);
    expect(storeDirectoryProblem(join(shared, 'theirs'))).toBe(`it belongs to user ${NOBODY}`);
  });
});
