import { CookieJar } from '../../platform/cookie-jar';

const TOOL = new URL('http://127.0.0.1:4000/lti/launch');

describe('cookie jar', () => {
  it('when a Secure cookie comes from http://127.0.0.1 or localhost, then it is kept and sent, as Chromium does', () => {
    const jar = new CookieJar();
    jar.store(TOOL, ['state=abc; Path=/; HttpOnly; Secure; SameSite=None; Partitioned']);
    jar.store(new URL('http://localhost:4001/'), ['s=1; Secure']);

    expect(jar.list('127.0.0.1:4000')).toEqual([
      expect.objectContaining({ name: 'state', value: 'abc', secure: true, httpOnly: true, sameSite: 'None', partitioned: true }),
    ]);
    expect(jar.cookieHeader(new URL('http://localhost:4001/app'), false, 'GET')).toBe('s=1');
  });

  it('when a Secure or SameSite=None-without-Secure cookie comes from a plain http host, then it is dropped', () => {
    const jar = new CookieJar();
    jar.store(new URL('http://tool.example.test/'), ['a=1; Secure', 'b=2; SameSite=None', 'c=3']);

    expect(jar.list('tool.example.test').map((c) => c.name)).toEqual(['c']);
  });

  it('when a navigation is cross-site, then Lax cookies go only with GET and Strict never, while None always goes', () => {
    const jar = new CookieJar();
    jar.store(TOOL, ['lax=1; Path=/', 'strict=2; Path=/; SameSite=Strict', 'none=3; Path=/; SameSite=None; Secure']);

    expect(jar.cookieHeader(TOOL, true, 'POST')).toBe('none=3');
    expect(jar.cookieHeader(TOOL, true, 'GET')).toBe('lax=1; none=3');
    expect(jar.cookieHeader(TOOL, false, 'POST')).toBe('lax=1; strict=2; none=3');
  });

  it('when a cookie is set again with Max-Age=0, then it is removed', () => {
    const jar = new CookieJar();
    jar.store(TOOL, ['gone=1; Path=/']);
    jar.store(TOOL, ['gone=; Path=/; Max-Age=0']);

    expect(jar.list('127.0.0.1:4000')).toEqual([]);
  });
});
