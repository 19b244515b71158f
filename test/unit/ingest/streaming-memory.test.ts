import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ParseSummary } from '../../../src/ingest/formats/parsed-records';

const ROWS = 300_000;
/** A parser that kept even ~100 bytes per row would grow by ~25 MB over the measured rows. */
const MAX_HEAP_GROWTH_BYTES = 12 * 1024 * 1024;

interface ProbeResult {
  yielded: number;
  failed: number;
  baseline: number;
  peak: number;
  summary: ParseSummary;
}

describe('streaming', () => {
  it('when a 300,000-row course log is generated on the fly and streamed through the parser, then every row is counted and the heap stays flat', async () => {
    const probe = join(__dirname, 'streaming-memory-probe.ts');
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--require', 'tsx/cjs', probe, String(ROWS)], {
      cwd: join(__dirname, '..', '..', '..'),
      timeout: 55_000,
      maxBuffer: 1024 * 1024,
    });
    const result = JSON.parse(stdout) as ProbeResult;

    expect(result.summary).toMatchObject({ rows: ROWS, failed: 0 });
    expect(result.summary.ok + result.summary.skipped).toBe(ROWS);
    expect(result.yielded).toBe(result.summary.ok);
    expect(result.peak - result.baseline).toBeLessThan(MAX_HEAP_GROWTH_BYTES);
  });
});
