import fs from 'node:fs';
import PDFDocument from 'pdfkit';

// A plain, readable PDF ("portable electronic format"): title, who and what it covers, a note, then sections of
// facts and tables. Tables wrap their cells, break across pages and repeat their header row.

export interface PdfTable {
  columns: Array<{ header: string; /** relative width */ width: number }>;
  rows: string[][];
  /** Shown instead of an empty table. */
  empty: string;
}

export interface PdfSection {
  heading: string;
  /** A part (e.g. one module of a subject access export): starts a new page with a larger heading. */
  part?: boolean;
  paragraphs?: string[];
  facts?: Array<[string, string]>;
  table?: PdfTable;
}

export interface PdfDocumentModel {
  title: string;
  /** Lines under the title: the module, the person, the date of generation. */
  subtitle: string[];
  note: string;
  sections: PdfSection[];
}

// DejaVu covers names in most scripts; without it the built-in Helvetica covers Western European text.
const UNICODE_FONT = { regular: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', bold: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf' };
const BUILT_IN_FONT = { regular: 'Helvetica', bold: 'Helvetica-Bold' };
const MARGIN = 48;
const FOOTER_HEIGHT = 24;
const CELL_PADDING = 4;
const TABLE_TEXT_SIZE = 8.5;
const BODY_TEXT_SIZE = 10;
/** A cell is cut here in the PDF (the JSON and CSV downloads keep everything), so one row never outgrows a page. */
const MAX_CELL_CHARACTERS = 1200;
/** Rows drawn between pauses, so a long export never holds up other requests for long (pdfkit is synchronous). */
const ROWS_PER_SLICE = 150;
const HEADER_FILL = '#e8edf2';
const RULE_COLOUR = '#c5ccd3';
const INK = '#1b2430';

function fonts(): { regular: string; bold: string } {
  return fs.existsSync(UNICODE_FONT.regular) && fs.existsSync(UNICODE_FONT.bold) ? UNICODE_FONT : BUILT_IN_FONT;
}

function clip(text: string): string {
  return text.length > MAX_CELL_CHARACTERS ? `${text.slice(0, MAX_CELL_CHARACTERS)}… (cut here; the JSON download has all of it)` : text;
}

class PdfWriter {
  private readonly bottom: number;
  private readonly width: number;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly font: { regular: string; bold: string },
  ) {
    this.bottom = doc.page.height - MARGIN - FOOTER_HEIGHT;
    this.width = doc.page.width - 2 * MARGIN;
  }

  private ensureRoom(height: number): boolean {
    if (this.doc.y + height <= this.bottom) return false;
    this.doc.addPage();
    return true;
  }

  title(model: PdfDocumentModel): void {
    this.doc.font(this.font.bold).fontSize(18).fillColor(INK).text(model.title, MARGIN, MARGIN, { width: this.width });
    this.doc.moveDown(0.3).font(this.font.regular).fontSize(BODY_TEXT_SIZE);
    for (const line of model.subtitle) this.doc.text(line, { width: this.width });
    this.doc.moveDown(0.6);
    const noteHeight = this.doc.heightOfString(model.note, { width: this.width - 16 }) + 12;
    const top = this.doc.y;
    this.doc.rect(MARGIN, top, this.width, noteHeight).fill('#f4f6f8');
    this.doc.fillColor(INK).text(model.note, MARGIN + 8, top + 6, { width: this.width - 16 });
    this.doc.x = MARGIN;
    this.doc.y = top + noteHeight + 8;
  }

  async section(section: PdfSection): Promise<void> {
    if (section.part) this.doc.addPage();
    else this.ensureRoom(60);
    this.doc.moveDown(0.6).font(this.font.bold).fontSize(section.part ? 16 : 13).fillColor(INK).text(section.heading, MARGIN, this.doc.y, { width: this.width });
    this.doc.moveDown(0.25).font(this.font.regular).fontSize(BODY_TEXT_SIZE);
    for (const p of section.paragraphs ?? []) {
      this.ensureRoom(this.doc.heightOfString(p, { width: this.width }));
      this.doc.text(p, MARGIN, this.doc.y, { width: this.width }).moveDown(0.3);
    }
    if (section.facts) this.facts(section.facts);
    if (section.table) await this.table(section.table);
  }

  private facts(facts: Array<[string, string]>): void {
    const labelWidth = this.width * 0.32;
    for (const [label, value] of facts) {
      const text = clip(value || '—');
      const height = Math.max(this.doc.heightOfString(label, { width: labelWidth }), this.doc.heightOfString(text, { width: this.width - labelWidth })) + 3;
      this.ensureRoom(height);
      const y = this.doc.y;
      this.doc.font(this.font.bold).text(label, MARGIN, y, { width: labelWidth - 6 });
      this.doc.font(this.font.regular).text(text, MARGIN + labelWidth, y, { width: this.width - labelWidth });
      this.doc.y = y + height;
    }
    this.doc.x = MARGIN;
  }

  private async table(table: PdfTable): Promise<void> {
    if (table.rows.length === 0) {
      this.doc.font(this.font.regular).fontSize(BODY_TEXT_SIZE).text(table.empty, MARGIN, this.doc.y, { width: this.width });
      return;
    }
    const total = table.columns.reduce((sum, c) => sum + c.width, 0);
    const widths = table.columns.map((c) => (this.width * c.width) / total);
    this.doc.fontSize(TABLE_TEXT_SIZE);
    const headers = table.columns.map((c) => c.header);
    this.row(headers, widths, true, this.rowHeight(headers, widths, true));
    for (let i = 0; i < table.rows.length; i++) {
      const cells = (table.rows[i] as string[]).map(clip);
      const height = this.rowHeight(cells, widths, false);
      if (this.ensureRoom(height)) this.row(headers, widths, true, this.rowHeight(headers, widths, true));
      this.row(cells, widths, false, height);
      if (i % ROWS_PER_SLICE === ROWS_PER_SLICE - 1) await new Promise((resolve) => setImmediate(resolve));
    }
    this.doc.fontSize(BODY_TEXT_SIZE).moveDown(0.4);
    this.doc.x = MARGIN;
  }

  private rowHeight(cells: string[], widths: number[], header: boolean): number {
    this.doc.font(header ? this.font.bold : this.font.regular);
    return Math.max(...cells.map((cell, i) => this.doc.heightOfString(cell || ' ', { width: (widths[i] as number) - 2 * CELL_PADDING }))) + 2 * CELL_PADDING;
  }

  private row(cells: string[], widths: number[], header: boolean, height: number): void {
    this.ensureRoom(height);
    const y = this.doc.y;
    if (header) this.doc.rect(MARGIN, y, this.width, height).fill(HEADER_FILL);
    this.doc.fillColor(INK).font(header ? this.font.bold : this.font.regular);
    let x = MARGIN;
    cells.forEach((cell, i) => {
      const w = widths[i] as number;
      this.doc.text(cell, x + CELL_PADDING, y + CELL_PADDING, { width: w - 2 * CELL_PADDING });
      x += w;
    });
    this.doc.moveTo(MARGIN, y + height).lineTo(MARGIN + this.width, y + height).lineWidth(0.5).strokeColor(RULE_COLOUR).stroke();
    this.doc.x = MARGIN;
    this.doc.y = y + height;
  }

  footers(title: string): void {
    const range = this.doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      this.doc.switchToPage(i);
      // Writing inside the bottom margin would make pdfkit start a new page.
      const margins = this.doc.page.margins;
      this.doc.page.margins = { ...margins, bottom: 0 };
      this.doc.font(this.font.regular).fontSize(8).fillColor('#4a5565')
        .text(`${title} · page ${i + 1} of ${range.count}`, MARGIN, this.doc.page.height - MARGIN, { width: this.width, align: 'center' });
      this.doc.page.margins = margins;
    }
  }
}

export async function renderPdf(model: PdfDocumentModel, generatedAt: Date): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    lang: 'en-GB',
    displayTitle: true,
    info: { Title: model.title, Author: 'Waymark', Subject: model.subtitle.join(' · '), CreationDate: generatedAt },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const writer = new PdfWriter(doc, fonts());
  writer.title(model);
  for (const section of model.sections) await writer.section(section);
  writer.footers(model.title);
  doc.end();
  return done;
}
