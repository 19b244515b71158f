import { Readable } from 'node:stream';
import { readCsvRecords } from '../../../src/ingest/formats/csv-record-reader';
import { createTextDecodingStream, detectEncoding, sniffDelimiter } from '../../../src/ingest/formats/text-decoding';

async function decode(chunks: Buffer[]): Promise<{ text: string; encoding: string | null }> {
  const decoder = createTextDecodingStream();
  const out: Buffer[] = [];
  Readable.from(chunks).pipe(decoder);
  for await (const chunk of decoder) out.push(chunk as Buffer);
  return { text: Buffer.concat(out).toString('utf8'), encoding: decoder.encoding };
}

/** Splits into 1-byte chunks so every multi-byte character and BOM straddles a boundary. */
const byteByByte = (bytes: Buffer): Buffer[] => [...bytes].map((byte) => Buffer.from([byte]));

function utf16be(text: string): Buffer {
  const little = Buffer.from(text, 'utf16le');
  return little.swap16();
}

const SAMPLE = 'Name\tJoin Time\nZofia Wiśniewska\t14.11.2022 😀\n';

describe('text decoding', () => {
  it.each([
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SAMPLE)]), 'utf-8'],
    ['UTF-8 without BOM', Buffer.from(SAMPLE), 'utf-8'],
    ['UTF-16 LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SAMPLE, 'utf16le')]), 'utf-16le'],
    ['UTF-16 BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(SAMPLE)]), 'utf-16be'],
    ['UTF-16 LE without BOM', Buffer.from(SAMPLE, 'utf16le'), 'utf-16le'],
    ['UTF-16 BE without BOM', utf16be(SAMPLE), 'utf-16be'],
  ])('when the input is %s, even one byte at a time, then UTF-8 text without a BOM comes out', async (_name, bytes, encoding) => {
    const { text, encoding: detected } = await decode(byteByByte(bytes));

    expect(text).toBe(SAMPLE);
    expect(detected).toBe(encoding);
  });

  it('when the input is empty, then nothing comes out and it counts as UTF-8', async () => {
    expect(await decode([])).toEqual({ text: '', encoding: 'utf-8' });
    expect(detectEncoding(Buffer.alloc(0))).toEqual({ encoding: 'utf-8', bomLength: 0 });
  });

  it.each([
    ['Time,"User full name","Event context, quoted",Component', ','],
    ['Name\tFirst Join\tLast Leave', '\t'],
    ['"First name";"Last name";"Assignment: Essay (Real)"', ';'],
    ['"First name":"Last name":"Assignment: Essay (Real)":"Course total (Real)"', ':'],
    ['"Assignment: Essay, part 1 (Real)"', ','],
  ])('when the first line is %j, then the delimiter is %j', (line, expected) => {
    expect(sniffDelimiter(line)).toBe(expected);
  });
});

describe('CSV record reader', () => {
  async function read(text: string | Buffer) {
    const items = [];
    for await (const item of readCsvRecords(Buffer.isBuffer(text) ? text : Buffer.from(text)).items) items.push(item);
    return items;
  }

  it('when a quoted cell holds a line break, then later records keep their true line numbers', async () => {
    expect(await read('a,b\n1,"two\nlines"\n3,4\n')).toEqual([
      { kind: 'record', line: 1, fields: ['a', 'b'] },
      { kind: 'record', line: 2, fields: ['1', 'two\nlines'] },
      { kind: 'record', line: 4, fields: ['3', '4'] },
    ]);
  });

  it('when blank and tab-padded lines appear, then they are left out without shifting line numbers', async () => {
    expect(await read('a\tb\n\t\n\n1\t2\n\n\n')).toEqual([
      { kind: 'record', line: 1, fields: ['a', 'b'] },
      { kind: 'record', line: 4, fields: ['1', '2'] },
    ]);
  });

  it('when a quote opens and never closes, then an error names the line and the records before it are kept', async () => {
    const items = await read('a,b\n1,2\n3,"never closed\n5,6\n7,8\n');

    expect(items[1]).toEqual({ kind: 'record', line: 2, fields: ['1', '2'] });
    expect(items[2]).toEqual({ kind: 'error', line: 3, reason: expect.stringContaining('A double quote opened on or after line 3 is never closed') });
  });

  it('when a cell has stray quotes inside, then the row is still read', async () => {
    expect((await read('a,b\n1,He said "hi"\n'))[1]).toEqual({ kind: 'record', line: 2, fields: ['1', 'He said "hi"'] });
  });
});
