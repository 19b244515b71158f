import mongoose from 'mongoose';
import { TestBrowser } from '../../platform';
import { startTestTool, type RunningTool } from '../../support/test-tool';
import { registerManually, type Registration } from '../../support/registered-platform';
import { ROLE } from '../../support/lti-roles';
import { deleteLaunchTokensOfUser } from '../../../src/lti/ltijs-launch-tokens';
import { forgetHeldLaunchTokens, launchTokenKey } from '../../../src/lti/launch-token-store';

// ltijs reads a launch's tokens on every page; Waymark holds what it read for a short while. What Waymark itself
// removes must stop the pages at once; only a removal behind Waymark's back waits for the hold to pass.

describe('the launch tokens ltijs reads on every page', () => {
  let tool: RunningTool;
  let reg: Registration;

  beforeAll(async () => {
    tool = await startTestTool();
    reg = await registerManually(tool);
    reg.platform.addCourse({ id: 'CHM101', title: 'Chemistry', label: 'CHM101' });
    reg.platform.addMember('CHM101', { userId: 't1', name: 'Tom Teacher', roles: ['Instructor'] });
    reg.platform.addMember('CHM101', { userId: 't2', name: 'Tia Teacher', roles: ['Instructor'] });
    reg.platform.addMember('CHM101', { userId: 't3', name: 'Ted Teacher', roles: ['Instructor'] });
    reg.platform.addMember('CHM101', { userId: 't4', name: 'Tara Teacher', roles: ['Instructor'] });
    reg.platform.addMember('CHM101', { userId: 't5', name: 'Tim Teacher', roles: ['Instructor'] });
    reg.platform.addMember('CHM101', { userId: 't6', name: 'Tess Teacher', roles: ['Instructor'] });
  });

  afterAll(async () => {
    await reg.platform.close();
    await tool.close();
  });

  async function openModule(userId: string) {
    const browser = new TestBrowser();
    const landed = await browser.launch(reg.platform, { clientId: reg.clientId, deploymentId: reg.deploymentId, courseId: 'CHM101', userId, roles: [ROLE.instructor] });
    expect(landed.status).toBe(200);
    const ltik = new URL(landed.url).searchParams.get('ltik')!;
    return () => browser.get(`${tool.baseUrl}/app/module?ltik=${encodeURIComponent(ltik)}`);
  }

  it('when the tokens are removed behind Waymark’s back, then pages go on for the hold time; when Waymark removes them, pages stop at once', async () => {
    const reload = await openModule('t1');
    expect((await reload()).status).toBe(200);

    await mongoose.connection.collection('idtokens').deleteMany({ user: 't1' });
    expect((await reload()).status).toBe(200);

    await deleteLaunchTokensOfUser({ issuer: reg.platform.issuer, clientId: reg.clientId }, 't1');
    expect((await reload()).status).toBe(401);
  });

  it('when someone else launches, then the tokens held for another person stay held', async () => {
    const reload = await openModule('t5');
    expect((await reload()).status).toBe(200);
    await mongoose.connection.collection('idtokens').deleteMany({ user: 't5' });
    await openModule('t6');
    // Had t6's launch dropped everything held, t5's page would read their removed token and be refused.
    expect((await reload()).status).toBe(200);
  });

  it('when someone launches again, then the earlier page and the new one both keep working', async () => {
    const first = await openModule('t2');
    expect((await first()).status).toBe(200);
    const second = await openModule('t2');
    expect((await second()).status).toBe(200);
    expect((await first()).status).toBe(200);
  });

  it('when someone launches, then their tokens are found by the fields ltijs looks them up by, and relaunching keeps one of each', async () => {
    await openModule('t3');
    await openModule('t3');
    const idTokens = await mongoose.connection.collection('idtokens').find({ user: 't3' }).toArray();
    expect(idTokens).toHaveLength(1);
    const t = idTokens[0]!;
    expect(t._id).toBe(launchTokenKey('idtoken', { iss: t.iss, clientId: t.clientId, deploymentId: t.deploymentId, user: 't3' }));
    expect(t.createdAt).toBeInstanceOf(Date);
    const contexts = await mongoose.connection.collection('contexttokens').find({ user: 't3' }).toArray();
    expect(contexts).toHaveLength(1);
    expect(contexts[0]!._id).toBe(launchTokenKey('contexttoken', { contextId: contexts[0]!.contextId, user: 't3' }));
  });

  it('when tokens were stored before they were keyed, then pages still find them by ltijs’s own filter', async () => {
    const reload = await openModule('t4');
    for (const name of ['idtokens', 'contexttokens']) {
      const tokens = mongoose.connection.collection(name);
      const keyed = (await tokens.findOne({ user: 't4' }))!;
      await tokens.deleteOne({ _id: keyed._id });
      await tokens.insertOne({ ...keyed, _id: new mongoose.Types.ObjectId() });
    }
    forgetHeldLaunchTokens();
    expect((await reload()).status).toBe(200);
  });

  it('the key names its collection and every field, and a query of other fields has none', () => {
    expect(launchTokenKey('nonce', { nonce: 'n1' })).not.toBe(launchTokenKey('contexttoken', { contextId: 'n1', user: 'n1' }));
    expect(launchTokenKey('contexttoken', { contextId: 'a|b', user: 'c' })).not.toBe(launchTokenKey('contexttoken', { contextId: 'a', user: 'b|c' }));
    expect(launchTokenKey('contexttoken', { contextId: 'a' })).toBeUndefined();
    expect(launchTokenKey('idtoken', { iss: 'i', clientId: 'c', deploymentId: 'd', user: { $gt: '' } })).toBeUndefined();
    expect(launchTokenKey('state', { state: 's' })).toBeUndefined();
  });
});
