import { detectEncoding } from '../../ingest/formats/text-decoding';

// The upload form accepts text exports only. A file name says little (a workbook or an image renamed .csv keeps
// its new name), so the first bytes are read too: nothing that is not text reaches an importer or the import log.

const SIGNATURES: ReadonlyArray<{ bytes: readonly number[]; kind: string }> = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], kind: 'a zip archive or an Excel workbook' },
  { bytes: [0x50, 0x4b, 0x05, 0x06], kind: 'a zip archive' },
  { bytes: [0x50, 0x4b, 0x07, 0x08], kind: 'a zip archive' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], kind: 'an old Excel workbook' },
  { bytes: [0x1f, 0x8b], kind: 'a compressed (gzip) file' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], kind: 'a 7-Zip archive' },
  { bytes: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], kind: 'a RAR archive' },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], kind: 'a PDF' },
  { bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], kind: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], kind: 'a JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], kind: 'a GIF image' },
];

/** Enough of the file to judge it; a text export has no NUL byte this early unless it is UTF-16. */
const SNIFF_BYTES = 8192;

export interface UploadContentProblem {
  status: number;
  message: string;
}

/** More than this share of characters no export contains (control codes, undecodable bytes) means binary data. */
const UNLIKELY_CHARACTER_SHARE = 0.01;

/**
 * The share of the decoded characters that no text export holds: C0 control codes other than tab, line feed,
 * form feed and carriage return, DEL, and in UTF-16 U+FFFD (an unpaired surrogate). Binary data whose NUL bytes
 * happen to fall every other byte passes for UTF-16 by its shape; decoded, it is mostly such characters. A UTF-8
 * file's U+FFFD is not counted: a Windows-1252 export with accented names decodes to some, and is still text.
 */
function unlikelyCharacterShare(head: Buffer, encoding: string, bomLength: number): number {
  // A cut at the end of the sniffed bytes may split a character; that last one is not held against the file.
  const text = new TextDecoder(encoding).decode(head.subarray(bomLength)).replace(/\uFFFD$/, '');
  if (text.length === 0) return 0;
  let unlikely = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d) || c === 0x7f || (c === 0xfffd && encoding !== 'utf-8')) unlikely++;
  }
  return unlikely / text.length;
}

/** Why an uploaded file cannot be a text export, or null when it may be one. */
export function uploadContentProblem(file: { originalname: string; size: number; buffer: Buffer }): UploadContentProblem | null {
  if (file.size === 0 || file.buffer.length === 0) {
    return { status: 400, message: `“${file.originalname}” is empty. Download the export again from the system it comes from and choose that file.` };
  }
  const head = file.buffer.subarray(0, SNIFF_BYTES);
  const signature = SIGNATURES.find((s) => s.bytes.every((b, i) => head[i] === b));
  // UTF-16 text (Teams' attendance reports) is mostly NUL bytes; in anything read as UTF-8 a NUL means binary data.
  const { encoding, bomLength } = detectEncoding(head);
  const looksBinary = (encoding === 'utf-8' && head.includes(0)) || unlikelyCharacterShare(head, encoding, bomLength) > UNLIKELY_CHARACTER_SHARE;
  const binary = signature?.kind ?? (looksBinary ? 'binary data' : null);
  if (!binary) return null;
  return {
    status: 415,
    message: `“${file.originalname}” is not a text export (it looks like ${binary}): choose the .csv, .txt or .tsv file exactly as the system downloaded it, not a spreadsheet, archive or image renamed.`,
  };
}
