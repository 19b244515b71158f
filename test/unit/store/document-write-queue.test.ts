import { queuedWrite } from '../../../src/store/document-write-queue';

// Writes under one key run one after another, in the order they came; other keys do not wait for them.

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('queuedWrite', () => {
  it('when writes to one document come together, then each starts after the one before it has finished, in order', async () => {
    const log: string[] = [];
    const write = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await pause(ms);
      log.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([queuedWrite('doc-a', write('1', 20)), queuedWrite('doc-a', write('2', 1)), queuedWrite('doc-a', write('3', 5))]);
    expect(results).toEqual(['1', '2', '3']);
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('when a write fails, then its caller gets the error and the next write still runs', async () => {
    const failing = queuedWrite('doc-b', () => Promise.reject(new Error('refused')));
    const next = queuedWrite('doc-b', () => Promise.resolve('written'));
    await expect(failing).rejects.toThrow('refused');
    await expect(next).resolves.toBe('written');
  });

  it('when two documents are written, then the second does not wait for the first', async () => {
    const log: string[] = [];
    let finishSlow!: () => void;
    const slow = queuedWrite('doc-c', async () => {
      await new Promise<void>((resolve) => (finishSlow = resolve));
      log.push('slow');
    });
    await queuedWrite('doc-d', async () => {
      log.push('other');
    });
    finishSlow();
    await slow;
    expect(log).toEqual(['other', 'slow']);
  });
});
