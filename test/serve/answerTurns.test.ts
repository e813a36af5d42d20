import { describe, expect, test } from '@jest/globals';
import { AnswerTurns } from '../../src/serve/answerTurns.js';

/** AnswerTurns with turns run by hand: `turn()` runs the one scheduled, if any. */
function byHand(perTurn: number) {
  const scheduled: (() => void)[] = [];
  const turns = new AnswerTurns(perTurn, (run) => scheduled.push(run));
  return {
    turns,
    scheduled: () => scheduled.length,
    turn: () => {
      const run = scheduled.shift();
      if (run === undefined) throw new Error('no turn scheduled');
      run();
    },
  };
}

describe('AnswerTurns', () => {
  test('at most perTurn answers a turn, in the order they became due, one turn scheduled at a time', () => {
    const { turns, scheduled, turn } = byHand(2);
    const ran: number[] = [];
    for (const index of [1, 2, 3, 4, 5]) turns.add(() => ran.push(index));
    expect(scheduled()).toBe(1);
    expect(ran).toEqual([]);
    turn();
    expect(ran).toEqual([1, 2]);
    expect(turns.waiting).toBe(3);
    expect(scheduled()).toBe(1);
    turn();
    turn();
    expect(ran).toEqual([1, 2, 3, 4, 5]);
    expect(turns.waiting).toBe(0);
    expect(scheduled()).toBe(0);
  });

  test('an answer added by an answer (a connection whose next request is due at once) waits for the next turn', () => {
    const { turns, scheduled, turn } = byHand(8);
    const ran: string[] = [];
    turns.add(() => {
      ran.push('a');
      turns.add(() => ran.push('a again'));
    });
    turns.add(() => ran.push('b'));
    turn();
    expect(ran).toEqual(['a', 'b']);
    expect(scheduled()).toBe(1);
    turn();
    expect(ran).toEqual(['a', 'b', 'a again']);
    expect(scheduled()).toBe(0);
  });

  test('with the event loop: every answer runs, a few per turn, and other work queued meanwhile runs between batches', async () => {
    const turns = new AnswerTurns(3);
    const ran: string[] = [];
    const done = new Promise<void>((resolve) => {
      for (let index = 0; index < 9; index++) turns.add(() => {
        ran.push(`answer ${index}`);
        if (index === 8) resolve();
      });
    });
    // I/O and timers get a turn between batches: an immediate added now runs after the first batch.
    setImmediate(() => ran.push('other work'));
    await done;
    expect(ran.indexOf('other work')).toBe(3);
    expect(ran.filter((entry) => entry.startsWith('answer'))).toEqual(Array.from({ length: 9 }, (_, index) => `answer ${index}`));
  });
});
