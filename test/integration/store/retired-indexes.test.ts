import { Types } from 'mongoose';
import { openTestDatabase, type TestDatabase } from '../../support/test-database';
import { ensureIndexes } from '../../../src/store/database';
import { ALL_MODELS, RETIRED_INDEXES } from '../../../src/store/all-models';
import { DailyActivityModel } from '../../../src/store/models/daily-activity-model';

// A database from an earlier version still has the index that allowed one rollup row per member-day and source;
// left in place it would refuse every part a later launch adds. Start-up drops it.

describe('indexes an earlier version created', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openTestDatabase();
  });

  afterAll(async () => {
    await db.close();
  });

  it('when the one-row-per-day rollup index is still there, then start-up drops it, keeps the current ones, and a day can hold parts', async () => {
    await DailyActivityModel.collection.dropIndex('moduleId_1_memberId_1_day_1_source_1_part_1');
    await DailyActivityModel.collection.createIndex({ moduleId: 1, memberId: 1, day: 1, source: 1 }, { unique: true });

    await ensureIndexes(ALL_MODELS, RETIRED_INDEXES);
    await ensureIndexes(ALL_MODELS, RETIRED_INDEXES);

    const names = (await DailyActivityModel.collection.indexes()).map((i) => i.name);
    expect(names).not.toContain('moduleId_1_memberId_1_day_1_source_1');
    expect(names).toContain('moduleId_1_memberId_1_day_1_source_1_part_1');
    const row = { moduleId: new Types.ObjectId(), memberId: new Types.ObjectId(), day: '2026-11-02', source: 'launch', count: 1, minutes: 0 };
    await DailyActivityModel.collection.insertMany([{ ...row, _id: 'day' as never, part: '' }, { ...row, _id: 'day:s2' as never, part: 's2' }]);
    await expect(DailyActivityModel.collection.insertOne({ ...row, _id: 'again' as never, part: 's2' })).rejects.toMatchObject({ code: 11000 });
  });
});
