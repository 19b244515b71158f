import path from 'node:path';
import type { Express } from 'express';
import { create } from 'express-handlebars';
import { viewHelpers } from './view-helpers';

export const TEMPLATES_DIR = path.resolve(__dirname, '../../templates');

/**
 * Handlebars pages for the app. Compiled templates are kept unless in development (where edits show at once):
 * express keeps them only when NODE_ENV is production, and compiling on every request cost about 10 ms of CPU.
 */
export function installViewEngine(app: Express, opts: { cacheTemplates: boolean }): void {
  const hbs = create({
    extname: '.hbs',
    defaultLayout: 'main',
    layoutsDir: path.join(TEMPLATES_DIR, 'layouts'),
    partialsDir: path.join(TEMPLATES_DIR, 'partials'),
    helpers: viewHelpers,
  });
  app.engine('.hbs', hbs.engine);
  app.set('view engine', '.hbs');
  app.set('views', path.join(TEMPLATES_DIR, 'pages'));
  app.set('view cache', opts.cacheTemplates);
}
