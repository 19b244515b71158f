import mongoose from 'mongoose';
import { openTestDatabase, type TestDatabase } from '../../support/test-database';
import { deleteExpiredLaunchTokens, deleteLaunchTokensOfUser, LAUNCH_TOKEN_LIFETIME_MS } from '../../../src/lti/ltijs-launch-tokens';

// ltijs's token collections, filled as ltijs fills them on a launch (its TTL index does not run on FerretDB).

describe('ltijs launch tokens', () => {
  let db: TestDatabase;
  const now = new Date('2026-11-23T12:00:00Z');
  const idTokens = () => mongoose.connection.collection('idtokens');
  const contextTokens = () => mongoose.connection.collection('contexttokens');
  const site = { issuer: 'https://moodle.example.ac.uk', clientId: 'AbC123' };
  const contextId = (issuer: string, clientId: string) => encodeURIComponent(`${issuer}${clientId}1BIO101_1_`) + 'f00d';

  beforeAll(async () => {
    db = await openTestDatabase();
  });

  afterAll(async () => {
    await db.close();
  });

  beforeEach(async () => {
    await idTokens().deleteMany({});
    await contextTokens().deleteMany({});
  });

  it('when the clean-up runs, then tokens older than ltijs’s one-day lifetime are removed and newer ones kept', async () => {
    const old = new Date(now.getTime() - LAUNCH_TOKEN_LIFETIME_MS - 60_000);
    const fresh = new Date(now.getTime() - 60_000);
    await idTokens().insertMany([
      { iss: site.issuer, clientId: site.clientId, user: 'old', userInfo: { name: 'Old Launch' }, createdAt: old },
      { iss: site.issuer, clientId: site.clientId, user: 'new', userInfo: { name: 'New Launch' }, createdAt: fresh },
    ]);
    await contextTokens().insertMany([
      { contextId: contextId(site.issuer, site.clientId), user: 'old', createdAt: old },
      { contextId: contextId(site.issuer, site.clientId), user: 'new', createdAt: fresh },
    ]);
    expect(await deleteExpiredLaunchTokens(now)).toBe(2);
    expect((await idTokens().find({}).toArray()).map((t) => t.user)).toEqual(['new']);
    expect((await contextTokens().find({}).toArray()).map((t) => t.user)).toEqual(['new']);
  });

  it('when the clean-up runs, then login nonces, states and service access tokens older than an hour go too', async () => {
    const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
    for (const name of ['nonces', 'states', 'accesstokens']) {
      await mongoose.connection.collection(name).deleteMany({});
      await mongoose.connection.collection(name).insertMany([{ createdAt: minutesAgo(61), which: 'old' }, { createdAt: minutesAgo(59), which: 'recent' }]);
    }
    expect(await deleteExpiredLaunchTokens(now)).toBe(3);
    for (const name of ['nonces', 'states', 'accesstokens']) {
      expect((await mongoose.connection.collection(name).find({}).toArray()).map((d) => d.which)).toEqual(['recent']);
    }
  });

  it('when one user’s tokens are erased, then the same user id on another site and other users keep theirs', async () => {
    const other = { issuer: 'https://other.example.ac.uk', clientId: 'XyZ789' };
    await idTokens().insertMany([
      { iss: site.issuer, clientId: site.clientId, user: 'p1', createdAt: now },
      { iss: other.issuer, clientId: other.clientId, user: 'p1', createdAt: now },
      { iss: site.issuer, clientId: site.clientId, user: 'p2', createdAt: now },
    ]);
    await contextTokens().insertMany([
      { contextId: contextId(site.issuer, site.clientId), user: 'p1', createdAt: now },
      { contextId: contextId(other.issuer, other.clientId), user: 'p1', createdAt: now },
    ]);
    expect(await deleteLaunchTokensOfUser(site, 'p1')).toBe(2);
    expect((await idTokens().find({}).toArray()).map((t) => `${t.iss} ${t.user}`).sort()).toEqual([`${site.issuer} p2`, `${other.issuer} p1`].sort());
    expect((await contextTokens().find({}).toArray()).map((t) => String(t.contextId).slice(0, 20))).toEqual([encodeURIComponent(other.issuer).slice(0, 20)]);
  });
});
