/** The embedded file as such: where it is looked for, and its mode (the server has neither). */
import { existsSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { initialised, sandbox, type Sandbox } from './helpers.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

describe('the database file', () => {
  it('--db wins over XYPZ_DB, which wins over ./xypz.db', async () => {
    sb = sandbox();
    expect((await sb.run(['init'], { env: { XYPZ_DB: sb.path('env.db') } })).code).toBe(0);
    expect(existsSync(sb.path('env.db'))).toBe(true);
    expect(existsSync(sb.db)).toBe(false);
    expect((await sb.run(['--db', 'flag.db', 'init'], { env: { XYPZ_DB: sb.path('env.db') } })).code).toBe(0);
    expect(existsSync(sb.path('flag.db'))).toBe(true);
    expect((await sb.run(['init'])).code).toBe(0);
    expect(existsSync(sb.db)).toBe(true);
  });

  it('init creates it with mode 0600', async () => {
    sb = sandbox();
    expect((await sb.run(['init'])).code).toBe(0);
    expect(statSync(sb.db).mode & 0o777).toBe(0o600);
  });

  it('has no logins: users login says it is for a server and writes nothing', async () => {
    sb = await initialised();
    const r = await sb.run(['users', 'login', 'tester', '--password-file', sb.path('pw.txt')]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('PostgreSQL');
    expect(existsSync(sb.path('pw.txt'))).toBe(false);
  });
});
