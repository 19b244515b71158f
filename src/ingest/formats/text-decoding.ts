import { Transform, type TransformCallback } from 'node:stream';

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be';
export type Delimiter = ',' | '\t' | ';' | ':';

/** Enough bytes to see a BOM and, without one, the NUL pattern of UTF-16 text. */
const SNIFF_BYTES = 512;
const NUL_SHARE_FOR_UTF16 = 0.3;

/** Reads the byte-order mark, or the NUL bytes of BOM-less UTF-16; plain UTF-8 otherwise. */
export function detectEncoding(head: Buffer): { encoding: TextEncodingName; bomLength: number } {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  const pairs = Math.floor(head.length / 2);
  if (pairs === 0) return { encoding: 'utf-8', bomLength: 0 };
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (head[i] === 0) evenNuls++;
    if (head[i + 1] === 0) oddNuls++;
  }
  if (oddNuls / pairs >= NUL_SHARE_FOR_UTF16 && evenNuls < oddNuls / 4) return { encoding: 'utf-16le', bomLength: 0 };
  if (evenNuls / pairs >= NUL_SHARE_FOR_UTF16 && oddNuls < evenNuls / 4) return { encoding: 'utf-16be', bomLength: 0 };
  return { encoding: 'utf-8', bomLength: 0 };
}

/** Bytes in any of the encodings above -> UTF-8 bytes without a BOM. `encoding` is known after the first chunk. */
export class TextDecodingStream extends Transform {
  encoding: TextEncodingName | null = null;
  private head: Buffer[] = [];
  private headLength = 0;
  private decoder: TextDecoder | null = null;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.encoding === null) {
      this.head.push(chunk);
      this.headLength += chunk.length;
      if (this.headLength < SNIFF_BYTES) return done();
      this.decideEncoding();
      return done();
    }
    this.pushDecoded(chunk);
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.encoding === null) this.decideEncoding();
    if (this.decoder) {
      const rest = this.decoder.decode();
      if (rest) this.push(Buffer.from(rest, 'utf8'));
    }
    done();
  }

  private decideEncoding(): void {
    const head = Buffer.concat(this.head, this.headLength);
    this.head = [];
    const { encoding, bomLength } = detectEncoding(head);
    this.encoding = encoding;
    // UTF-8 passes through untouched (fast path for million-row logs); csv-parse decodes it.
    if (encoding !== 'utf-8') this.decoder = new TextDecoder(encoding, { ignoreBOM: true });
    this.pushDecoded(head.subarray(bomLength));
  }

  private pushDecoded(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (!this.decoder) {
      this.push(bytes);
      return;
    }
    const text = this.decoder.decode(bytes, { stream: true });
    if (text) this.push(Buffer.from(text, 'utf8'));
  }
}

export function createTextDecodingStream(): TextDecodingStream {
  return new TextDecodingStream();
}

const DELIMITER_PREFERENCE: Delimiter[] = [',', '\t', ';', ':'];

/** The candidate found most often outside double quotes in the header line; ties go to the earlier candidate. */
export function sniffDelimiter(firstLine: string): Delimiter {
  const counts = new Map<Delimiter, number>(DELIMITER_PREFERENCE.map((d) => [d, 0]));
  let quoted = false;
  for (const char of firstLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && counts.has(char as Delimiter)) counts.set(char as Delimiter, (counts.get(char as Delimiter) ?? 0) + 1);
  }
  let best: Delimiter = ',';
  let bestCount = 0;
  for (const delimiter of DELIMITER_PREFERENCE) {
    const count = counts.get(delimiter) ?? 0;
    if (count > bestCount) {
      best = delimiter;
      bestCount = count;
    }
  }
  return best;
}
