import zlib from 'node:zlib';

// A small reader for the PDFs Waymark writes (pdfkit): enough to check they are well formed and to read their text,
// including text in embedded fonts through each font's ToUnicode map. No PDF library is needed.

interface PdfObject {
  dict: string;
  stream: Buffer | null;
}

function readObjects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const header = /(\d+) 0 obj\s*/g;
  let match: RegExpExecArray | null;
  while ((match = header.exec(text))) {
    const start = match.index + match[0].length;
    const end = text.indexOf('endobj', start);
    const body = text.slice(start, end);
    const streamAt = body.indexOf('stream\n');
    let stream: Buffer | null = null;
    let dict = body;
    if (streamAt >= 0) {
      dict = body.slice(0, streamAt);
      const raw = Buffer.from(body.slice(streamAt + 'stream\n'.length, body.lastIndexOf('\nendstream')), 'latin1');
      stream = dict.includes('/FlateDecode') ? zlib.inflateSync(raw) : raw;
    }
    objects.set(Number(match[1]), { dict, stream });
    header.lastIndex = end;
  }
  return objects;
}

/** glyph code (hex) -> text, from a ToUnicode CMap. */
function readToUnicode(cmap: string): Map<string, string> {
  const map = new Map<string, string>();
  // A ligature maps to several code units written with spaces between them, e.g. <0066 0066> for "ff".
  const utf16 = (hex: string) => Buffer.from(hex.replace(/\s+/g, ''), 'hex').swap16().toString('utf16le');
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const entry of (block[1] ?? '').matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F\s]+>)/g)) {
      const from = parseInt(entry[1]!, 16);
      const to = parseInt(entry[2]!, 16);
      const width = entry[1]!.length;
      const target = entry[3]!;
      if (target.startsWith('[')) {
        const values = [...target.matchAll(/<([0-9a-fA-F\s]+)>/g)].map((v) => v[1]!);
        values.forEach((v, i) => map.set((from + i).toString(16).padStart(width, '0'), utf16(v)));
      } else {
        const base = parseInt(target.slice(1, -1), 16);
        for (let code = from; code <= to; code++) map.set(code.toString(16).padStart(width, '0'), String.fromCharCode(base + code - from));
      }
    }
  }
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const entry of (block[1] ?? '').matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(entry[1]!.toLowerCase(), utf16(entry[2]!));
  }
  return map;
}

function decode(hex: string, toUnicode: Map<string, string> | undefined): string {
  if (!toUnicode) return Buffer.from(hex, 'hex').toString('latin1');
  let out = '';
  for (let i = 0; i < hex.length; i += 4) out += toUnicode.get(hex.slice(i, i + 4).toLowerCase()) ?? '';
  return out;
}

export interface PdfSummary {
  version: string;
  pageCount: number;
  title: string | null;
  /** All text shown, runs separated by a space and whitespace collapsed. */
  text: string;
}

export function readPdf(pdf: Buffer): PdfSummary {
  const head = pdf.subarray(0, 8).toString('latin1');
  if (!head.startsWith('%PDF-')) throw new Error(`Not a PDF: starts with ${JSON.stringify(head)}`);
  if (!pdf.subarray(-8).toString('latin1').includes('%%EOF')) throw new Error('PDF does not end with %%EOF');
  const objects = readObjects(pdf);
  const fonts = new Map<string, Map<string, string> | undefined>();
  for (const obj of objects.values()) {
    for (const block of obj.dict.matchAll(/\/Font\s*<<([^>]*)>>/g)) {
      for (const ref of (block[1] ?? '').matchAll(/\/(\w+)\s+(\d+) 0 R/g)) {
        const font = objects.get(Number(ref[2]));
        const toUnicodeRef = /\/ToUnicode (\d+) 0 R/.exec(font?.dict ?? '');
        const cmap = toUnicodeRef ? objects.get(Number(toUnicodeRef[1]))?.stream : null;
        fonts.set(ref[1]!, cmap ? readToUnicode(cmap.toString('latin1')) : undefined);
      }
    }
  }
  const runs: string[] = [];
  for (const obj of objects.values()) {
    const content = obj.stream?.toString('latin1');
    if (!content || !/\bBT\b/.test(content)) continue;
    let font: Map<string, string> | undefined;
    for (const op of content.matchAll(/\/(\w+)\s+[\d.]+\s+Tf|\[((?:[^\]]|\n)*?)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
      if (op[1]) font = fonts.get(op[1]);
      else if (op[2] !== undefined) runs.push([...op[2].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => decode(h[1]!, font)).join(''));
      else if (op[3] !== undefined) runs.push(decode(op[3], font));
    }
  }
  const titleRef = /\/Title (\d+) 0 R/.exec([...objects.values()].map((o) => o.dict).join('\n'));
  const titleText = titleRef ? objects.get(Number(titleRef[1]))?.dict.trim() ?? null : null;
  return {
    version: head.slice(5, 8),
    pageCount: [...objects.values()].filter((o) => /\/Type \/Page\b/.test(o.dict)).length,
    title: titleText?.startsWith('(') ? titleText.slice(1, titleText.lastIndexOf(')')) : titleText,
    text: runs.join(' ').replace(/\s+/g, ' '),
  };
}
