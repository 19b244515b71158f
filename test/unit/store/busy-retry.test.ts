import { isBusyRefusal, retryingBusy } from '../../../src/store/busy-retry';

// FerretDB on SQLite refuses a write that met another one with SQLITE_BUSY; the write did not happen and is run
// again. The message below is the one FerretDB v1.24 sent in the load benchmark.

const BUSY = Object.assign(new Error('[msg_findandmodify.go:196 handler.(*Handler).findAndModifyDocument] [collection.go:177 sqlite.(*collection).UpdateAll.func1] database is locked (5) (SQLITE_BUSY)'), { name: 'MongoServerError' });

describe('retrying writes the database refused as busy', () => {
  it('when a write is refused as busy twice, then it runs a third time and its result is returned', async () => {
    let calls = 0;
    const result = await retryingBusy(async () => {
      calls++;
      if (calls < 3) throw BUSY;
      return 'written';
    });
    expect({ calls, result }).toEqual({ calls: 3, result: 'written' });
  });

  it('when the database stays busy, then the refusal is thrown after four attempts', async () => {
    let calls = 0;
    await expect(retryingBusy(async () => { calls++; throw BUSY; })).rejects.toBe(BUSY);
    expect(calls).toBe(4);
  });

  it('when a write fails for any other reason, then it is not run again', async () => {
    let calls = 0;
    const duplicate = Object.assign(new Error('E11000 duplicate key error'), { code: 11000 });
    await expect(retryingBusy(async () => { calls++; throw duplicate; })).rejects.toBe(duplicate);
    expect(calls).toBe(1);
    expect(isBusyRefusal(duplicate)).toBe(false);
    expect(isBusyRefusal(undefined)).toBe(false);
    expect(isBusyRefusal(BUSY)).toBe(true);
  });
});
