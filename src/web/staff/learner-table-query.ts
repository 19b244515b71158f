import { z } from 'zod';
import { SOURCES } from '../../engagement';
import { ALERT_FILTERS, TABLE_SORTS, type LearnerTableQuery } from '../../reports/learner-table';
import { parseOrRefuse } from './request-parsing';

const tableQuerySchema = z.object({
  q: z.string().trim().max(100, 'use at most 100 characters').default(''),
  alert: z.enum(ALERT_FILTERS, { message: `choose one of ${ALERT_FILTERS.join(', ')}` }).default('all'),
  source: z.enum(['any', ...SOURCES] as [string, ...string[]], { message: `choose any or one of ${SOURCES.join(', ')}` }).default('any'),
  since: z
    .union([z.literal(''), z.iso.date({ message: 'use a date written YYYY-MM-DD, or leave it empty' })])
    .default(''),
  sort: z.enum(TABLE_SORTS, { message: `choose one of ${TABLE_SORTS.join(', ')}` }).default('name'),
  dir: z.enum(['asc', 'desc'], { message: 'use asc or desc' }).default('asc'),
  page: z.coerce.number({ message: 'use a page number' }).int('use a whole page number').min(1, 'pages start at 1').max(100_000).default(1),
});

/** The learner table's filter, sort and page from the query string; anything else in it (ltik) is ignored. */
export function parseLearnerTableQuery(query: unknown): LearnerTableQuery {
  const parsed = parseOrRefuse(tableQuerySchema, query);
  return { ...parsed, source: parsed.source as LearnerTableQuery['source'], since: parsed.since || null };
}
