import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import Handlebars from 'handlebars';

/** Renders named templates (paths under templates/, without `.hbs`) with a view. */
export interface Templates {
  render(name: string, view: object): string;
  /** sha256 over every template's name and text: changes whenever any template does. */
  readonly digest: string;
}

const templatesDir = fileURLToPath(new URL('../../templates/', import.meta.url));

/**
 * Loads every template under templates/ into a private Handlebars instance in
 * strict mode, so a field missing from a view fails loudly instead of
 * rendering as empty. Files under `templates/partials/` become partials named
 * by their path (`partials/k8s/labels.hbs` -> `k8s/labels`). Output is not
 * HTML-escaped: views pass values through the `json` helper where quoting
 * matters.
 */
export function loadTemplates(dir: string = templatesDir): Templates {
  const hbs = Handlebars.create();
  registerHelpers(hbs);
  const sources = new Map<string, string>();
  const hash = createHash('sha256');
  for (const file of walk(dir)) {
    if (!file.endsWith('.hbs')) continue;
    const name = relative(dir, file).split(sep).join('/').replace(/\.hbs$/, '');
    const text = readFileSync(file, 'utf8');
    hash.update(`${name}\0${text}\0`);
    if (name.startsWith('partials/')) hbs.registerPartial(name.slice('partials/'.length), text);
    else sources.set(name, text);
  }
  const compiled = new Map<string, Handlebars.TemplateDelegate>();
  return {
    digest: hash.digest('hex'),
    render(name, view) {
      let template = compiled.get(name);
      if (!template) {
        const source = sources.get(name);
        if (source === undefined) throw new Error(`no template '${name}' under ${dir}`);
        template = hbs.compile(source, { strict: true, noEscape: true });
        compiled.set(name, template);
      }
      return template(view);
    },
  };
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => (entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)]));
}

function registerHelpers(hbs: typeof Handlebars): void {
  // A JSON literal is also a valid YAML flow scalar, so one helper quotes for both.
  hbs.registerHelper('json', (value: unknown) => JSON.stringify(value));
  hbs.registerHelper('indent', (spaces: number, text: string) => text.replace(/\n(?=.)/g, `\n${' '.repeat(spaces)}`));
}
