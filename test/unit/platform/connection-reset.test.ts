import { isConnectionReset, retryOnConnectionReset } from '../../platform';

const reset = () => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });

describe('retrying a launch the network reset', () => {
  it('when the first two attempts meet a reset connection, then the third one’s answer is returned', async () => {
    let calls = 0;
    const answer = await retryOnConnectionReset(async () => {
      calls++;
      if (calls < 3) throw reset();
      return 'launched';
    });
    expect({ answer, calls }).toEqual({ answer: 'launched', calls: 3 });
  });

  it('when every attempt meets a reset, then the last reset is thrown after the given number of attempts', async () => {
    let calls = 0;
    await expect(retryOnConnectionReset(async () => {
      calls++;
      throw reset();
    }, 2)).rejects.toThrow('fetch failed');
    expect(calls).toBe(2);
  });

  it('when an attempt fails for another reason, then it is thrown at once', async () => {
    let calls = 0;
    await expect(retryOnConnectionReset(async () => {
      calls++;
      throw new Error('HTTP 403');
    })).rejects.toThrow('HTTP 403');
    expect(calls).toBe(1);
    expect(isConnectionReset(new Error('HTTP 403'))).toBe(false);
    expect(isConnectionReset(reset())).toBe(true);
  });
});
