import path from 'node:path';
import type { Express } from 'express';
import { create } from 'express-handlebars';
import { viewHelpers } from './view-helpers';

export const TEMPLATES_DIR = path.resolve(__dirname, '../../templates');

export function installViewEngine(app: Express): void {
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
}
