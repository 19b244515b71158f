import { z } from 'zod';
import { getAllPages, type ServiceRequestOptions } from './service-client';

// Assignment and Grade Services, read side only: line items and their results. Waymark never POSTs here.

const LINE_ITEM_CONTAINER = 'application/vnd.ims.lis.v2.lineitemcontainer+json';
const RESULT_CONTAINER = 'application/vnd.ims.lis.v2.resultcontainer+json';

export interface AgsLineItem {
  /** The line item's URL, which is also its id. */
  id: string;
  label: string;
  scoreMaximum: number | null;
  dueAt: Date | null;
  resourceLinkId: string | null;
}

export interface AgsResult {
  /** The result's URL as the platform writes it (stable per line item and user). */
  id: string;
  userId: string;
  /** When the platform last recorded the result; Moodle leaves it out for users without a grade. */
  timestamp: Date | null;
}

const isoDate = z
  .string()
  .optional()
  .transform((v) => {
    if (!v) return null;
    const at = new Date(v);
    return Number.isNaN(at.getTime()) ? null : at;
  });

// Only the fields Waymark uses; the score and comment are assessment and never read.
const lineItemSchema = z.object({
  id: z.string().url(),
  label: z.string().default(''),
  scoreMaximum: z.number().nullish(),
  endDateTime: isoDate,
  resourceLinkId: z.string().nullish(),
});
const resultSchema = z.object({
  id: z.string().min(1).optional(),
  userId: z.string().min(1),
  timestamp: isoDate,
});

/** Reads an array page item by item: one malformed entry must not hide the rest. */
function readArray<T>(schema: z.ZodType<T>): (body: unknown) => T[] {
  return (body) => {
    if (!Array.isArray(body)) throw new Error('the platform answered with something other than a list');
    const items: T[] = [];
    for (const raw of body) {
      const parsed = schema.safeParse(raw);
      if (parsed.success) items.push(parsed.data);
    }
    return items;
  };
}

export async function fetchLineItems(lineItemsUrl: string, token: string, options: Partial<ServiceRequestOptions> = {}): Promise<AgsLineItem[]> {
  const items = await getAllPages(lineItemsUrl, { accept: LINE_ITEM_CONTAINER, token, ...options }, readArray(lineItemSchema));
  return items.map((i) => ({
    id: i.id,
    label: i.label.trim() || 'Untitled assignment',
    scoreMaximum: i.scoreMaximum ?? null,
    dueAt: i.endDateTime,
    resourceLinkId: i.resourceLinkId ?? null,
  }));
}

/** The results service hangs below the line item's path; the line item's query (Moodle's type_id) is kept. */
export function resultsUrlOf(lineItemId: string): string {
  const url = new URL(lineItemId);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/results`;
  return url.toString();
}

export async function fetchResults(lineItemId: string, token: string, options: Partial<ServiceRequestOptions> = {}): Promise<AgsResult[]> {
  const results = await getAllPages(resultsUrlOf(lineItemId), { accept: RESULT_CONTAINER, token, ...options }, readArray(resultSchema));
  return results.map((r) => ({
    id: r.id ?? `${lineItemId}#user=${r.userId}`,
    userId: r.userId,
    timestamp: r.timestamp,
  }));
}
