import { Readable } from 'node:stream';
import type { IngestInput } from './parsed-records';
import { createTextDecodingStream, sniffDelimiter, type Delimiter, type TextEncodingName } from './text-decoding';

// csv-parse's CommonJS export; its `info`/`on_record` context gives us line numbers as we stream.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse } = require('csv-parse') as typeof import('csv-parse');
type CsvParseOptions<T> = import('csv-parse').Options<T, string[]>;
interface ParsedLine {
  line: number;
  fields: string[];
}

/** A quote that never closes would otherwise pull the rest of a large file into one cell. */
const MAX_RECORD_CHARS = 4 * 1024 * 1024;
const MAX_HEAD_CHARS = 64 * 1024;

export type CsvItem =
  | { kind: 'record'; /** line the record starts on, 1-based */ line: number; fields: string[] }
  | { kind: 'error'; line: number; reason: string };

export interface CsvSource {
  items: AsyncIterable<CsvItem>;
  /** Known once iteration has started. */
  readonly encoding: TextEncodingName | null;
  readonly delimiter: Delimiter | null;
}

export interface CsvReadOptions {
  /** Omit to sniff it from the first line. */
  delimiter?: Delimiter;
}

/** Streams records with their starting line numbers; records whose cells are all blank are left out. */
export function readCsvRecords(input: IngestInput, options: CsvReadOptions = {}): CsvSource {
  const state: { encoding: TextEncodingName | null; delimiter: Delimiter | null } = { encoding: null, delimiter: null };
  return {
    items: generateItems(input, options, state),
    get encoding() {
      return state.encoding;
    },
    get delimiter() {
      return state.delimiter;
    },
  };
}

async function* generateItems(
  input: IngestInput,
  options: CsvReadOptions,
  state: { encoding: TextEncodingName | null; delimiter: Delimiter | null },
): AsyncGenerator<CsvItem> {
  const source = Buffer.isBuffer(input) ? Readable.from([input]) : toReadable(input);
  const decoder = createTextDecodingStream();
  source.on('error', (error) => decoder.destroy(error));
  source.pipe(decoder);
  const decoded = decoder[Symbol.asyncIterator]() as AsyncIterator<Buffer>;

  const head: Buffer[] = [];
  let headText = '';
  while (!headText.includes('\n') && headText.length < MAX_HEAD_CHARS) {
    const next = await decoded.next();
    if (next.done) break;
    head.push(next.value);
    headText += next.value.toString('latin1'); // only ASCII delimiters and quotes matter here
  }
  state.encoding = decoder.encoding;
  const delimiter = options.delimiter ?? sniffDelimiter(headText.split(/\r?\n/, 1)[0] ?? '');
  state.delimiter = delimiter;

  const errors: { beforeRecord: number; line: number; reason: string }[] = [];
  let parsedRecords = 0;
  let lastRecordEndLine = 0;
  const parserOptions: CsvParseOptions<ParsedLine> = {
    delimiter,
    bom: false,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    // Given explicitly: while csv-parse is still discovering the line ending it does slow work for every character.
    record_delimiter: ['\r\n', '\n', '\r'],
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_CHARS,
    on_record: (record, context) => {
      const endLine = context.lines;
      lastRecordEndLine = endLine;
      if (record.every((field) => field.trim() === '')) return null;
      parsedRecords++;
      return { line: endLine - countNewlines(record), fields: record };
    },
    on_skip: (error) => {
      errors.push({ beforeRecord: parsedRecords, line: lastRecordEndLine + 1, reason: describeCsvError(error?.code, lastRecordEndLine + 1) });
    },
  };
  const parser = parse(parserOptions as unknown as import('csv-parse').Options);
  const feeder = Readable.from(
    (async function* () {
      yield* head;
      for (;;) {
        const next = await decoded.next();
        if (next.done) return;
        yield next.value;
      }
    })(),
    { objectMode: false },
  );
  feeder.on('error', (error) => parser.destroy(error));
  feeder.pipe(parser);

  let yielded = 0;
  try {
    for await (const item of parser as AsyncIterable<ParsedLine>) {
      while (errors.length > 0 && (errors[0]?.beforeRecord ?? Infinity) <= yielded) {
        const error = errors.shift()!;
        yield { kind: 'error', line: error.line, reason: error.reason };
      }
      yielded++;
      yield { kind: 'record', line: item.line, fields: item.fields };
    }
    for (const error of errors.splice(0)) yield { kind: 'error', line: error.line, reason: error.reason };
  } finally {
    feeder.destroy();
    parser.destroy();
    decoder.destroy();
    source.destroy();
  }
}

function toReadable(input: NodeJS.ReadableStream): Readable {
  return input instanceof Readable ? input : Readable.from(input as AsyncIterable<Buffer>);
}

function countNewlines(fields: string[]): number {
  let count = 0;
  for (const field of fields) {
    for (let at = field.indexOf('\n'); at !== -1; at = field.indexOf('\n', at + 1)) count++;
  }
  return count;
}

function describeCsvError(code: string | undefined, line: number): string {
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
    case 'CSV_MAX_RECORD_SIZE':
      return `A double quote opened on or after line ${line} is never closed, so the rest of the file from there could not be read. Remove or close the stray " and import again.`;
    default:
      return `Line ${line} could not be read as a CSV row (${code ?? 'unknown error'}). Check the quotes in that row.`;
  }
}

/** Lower case, single spaces, no surrounding whitespace or BOM: how headers are compared. */
export function normaliseHeader(header: string): string {
  return header.replace(/^\uFEFF/, '').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Index of each wanted name in a header row (normalised comparison); -1 when absent. */
export function indexHeaders<K extends string>(header: string[], names: Record<K, readonly string[]>): Record<K, number> {
  const normalised = header.map(normaliseHeader);
  const result = {} as Record<K, number>;
  for (const key of Object.keys(names) as K[]) {
    result[key] = normalised.findIndex((name) => names[key].includes(name));
  }
  return result;
}

/** Cells past the expected width must be empty (trailing separators); otherwise the row is ragged. */
export function raggedRowReason(fields: string[], expected: number, minimum: number): string | null {
  if (fields.length < minimum) {
    return `Row has ${fields.length} columns but needs at least ${minimum}: it may be cut short, or a cell may contain an unquoted line break.`;
  }
  for (let i = expected; i < fields.length; i++) {
    if ((fields[i] ?? '').trim() !== '') {
      return `Row has ${fields.length} columns but the header has ${expected}: a cell probably contains an unquoted separator. Quote that cell or remove the extra separator.`;
    }
  }
  return null;
}
