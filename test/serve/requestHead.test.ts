import { describe, expect, it } from '@jest/globals';
import { parseRequestHead } from '../../src/serve/requestHead.js';

const parse = (text: string) => parseRequestHead(Buffer.from(text, 'latin1'));

describe('parseRequestHead', () => {
  it('a scrape: method, path without the query, version, fields in lower case, and the bytes it took', () => {
    const text = 'GET /metrics?x=1 HTTP/1.1\r\nHost: 127.0.0.1:19464\r\nAccept-Encoding:  gzip \r\n\r\n';
    expect(parse(`${text}GET / HTTP/1.1\r\n\r\n`)).toEqual({
      kind: 'request', length: text.length,
      head: { method: 'GET', path: '/metrics', minorVersion: 1, headers: new Map([['host', '127.0.0.1:19464'], ['accept-encoding', 'gzip']]) },
    });
  });

  it.each([
    ['GET http://db1:19464/metrics HTTP/1.1', '/metrics'],
    ['GET https://db1/metrics?x HTTP/1.1', '/metrics'],
    ['GET http://db1 HTTP/1.1', '/'],
    ['GET http://db1?x HTTP/1.1', '/'],
    ['OPTIONS * HTTP/1.1', '*'],
  ])('%s: the path is %s', (line, path) => {
    expect(parse(`${line}\r\n\r\n`)).toMatchObject({ kind: 'request', head: { path } });
  });

  it('empty lines before a request are skipped; bare LF ends lines; HTTP/1.0; a repeated field joined with ", "', () => {
    expect(parse('\r\n\r\nGET / HTTP/1.0\nA: 1\na: 2\n\n')).toEqual({
      kind: 'request', length: 4 + 'GET / HTTP/1.0\nA: 1\na: 2\n\n'.length,
      head: { method: 'GET', path: '/', minorVersion: 0, headers: new Map([['a', '1, 2']]) },
    });
  });

  it('incomplete until the empty line has come', () => {
    expect(parse('GET /metrics HTTP/1.1\r\nHost: x\r\n')).toEqual({ kind: 'incomplete' });
    expect(parse('')).toEqual({ kind: 'incomplete' });
    expect(parse('\r\n')).toEqual({ kind: 'incomplete' });
  });

  it.each([
    ['GET /metrics HTTP/2.0\r\n\r\n', 505],
    ['GET  /metrics HTTP/1.1\r\n\r\n', 400],
    ['GET metrics HTTP/1.1\r\n\r\n', 400],
    ['GET /metrics\r\n\r\n', 400],
    ['GET / HTTP/1.1\r\nBad Name: x\r\n\r\n', 400],
    ['GET / HTTP/1.1\r\nHost : x\r\n\r\n', 400],
    ['GET / HTTP/1.1\r\nA: 1\r\n folded\r\n\r\n', 400],
    ['GET / HTTP/1.1\r\nA: \x01\r\n\r\n', 400],
    [`GET / HTTP/1.1\r\n${'A: 1\r\n'.repeat(65)}\r\n`, 431],
  ])('%j is refused with %i', (text, status) => {
    expect(parse(text)).toMatchObject({ kind: 'bad', status });
  });

  it('a head over 8 KiB is 431 as soon as 8 KiB have come without its end, and also when its end comes later', () => {
    expect(parse(`GET /${'a'.repeat(8192)}`)).toMatchObject({ kind: 'bad', status: 431 });
    expect(parse(`GET /${'a'.repeat(8150)}`)).toEqual({ kind: 'incomplete' });
    expect(parse(`GET / HTTP/1.1\r\nA: ${'a'.repeat(8200)}\r\n\r\n`)).toMatchObject({ kind: 'bad', status: 431 });
  });
});
