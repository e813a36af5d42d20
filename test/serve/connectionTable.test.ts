import { describe, expect, it } from '@jest/globals';
import { ConnectionTable } from '../../src/serve/connectionTable.js';

interface Connection {
  name: string;
  preparing?: boolean;
  known?: boolean;
}

function table(maxTotal: number, maxPerAddress: number) {
  return new ConnectionTable<Connection>(maxTotal, maxPerAddress, (connection) => !connection.preparing, (connection) => connection.known === true);
}

const names = (connections: Connection[] | undefined) => connections?.map((connection) => connection.name);

describe('ConnectionTable (who is closed to make room)', () => {
  it('past the cap per address, the least recently active connection from it goes; touch() makes one the most recent', () => {
    const connections = table(10, 2);
    const [a, b, c] = [{ name: 'a' }, { name: 'b' }, { name: 'c' }];
    expect(connections.add(a, '192.0.2.1')).toEqual([]);
    expect(connections.add(b, '192.0.2.1')).toEqual([]);
    connections.touch(a);
    expect(names(connections.add(c, '192.0.2.1'))).toEqual(['b']);
    expect(connections.size).toBe(2);
  });

  it('a connection whose answer is being made is never closed; when all are, the new one is refused (undefined)', () => {
    const connections = table(2, 2);
    connections.add({ name: 'a', preparing: true }, '192.0.2.1');
    connections.add({ name: 'b', preparing: true }, '192.0.2.2');
    expect(connections.add({ name: 'c' }, '192.0.2.3')).toBeUndefined();
  });

  it('strangers go before a known connection (one a request was let in on), however idle it is', () => {
    const connections = table(3, 3);
    const scraper = { name: 'scraper', known: true };
    connections.add(scraper, '127.0.0.1');
    connections.add({ name: 'guess 1' }, '127.0.0.1');
    connections.add({ name: 'guess 2' }, '127.0.0.1');
    expect(names(connections.add({ name: 'guess 3' }, '127.0.0.1'))).toEqual(['guess 1']);
    expect(names(connections.add({ name: 'guess 4' }, '127.0.0.1'))).toEqual(['guess 2']);
    // Strangers all busy being answered: the known one goes after all.
    const busy = table(2, 2);
    busy.add(scraper, '127.0.0.1');
    busy.add({ name: 'guess', preparing: true }, '127.0.0.1');
    expect(names(busy.add({ name: 'next' }, '127.0.0.1'))).toEqual(['scraper']);
  });
});
