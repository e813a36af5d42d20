import { describe, expect, it } from '@jest/globals';
import { warnChangesOnly } from '../../src/collect/warnChangesOnly.js';

describe('warnChangesOnly: the sink of commands that scan again and again', () => {
  it('says a line repeated scan after scan once, a changed line at once, and the first line again after another', () => {
    const said: string[] = [];
    const warn = warnChangesOnly((line) => said.push(line));
    for (const line of ['a\n', 'a\n', 'a\n', 'b\n', 'b\n', 'a\n', 'a\n']) warn(line);
    expect(said).toEqual(['a\n', 'b\n', 'a\n']);
  });

  it('keeps its state per sink: two commands in one process do not silence each other', () => {
    const first: string[] = [];
    const second: string[] = [];
    const one = warnChangesOnly((line) => first.push(line));
    const two = warnChangesOnly((line) => second.push(line));
    one('x\n');
    two('x\n');
    one('x\n');
    expect(first).toEqual(['x\n']);
    expect(second).toEqual(['x\n']);
  });
});
