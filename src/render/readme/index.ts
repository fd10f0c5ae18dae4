import { renderMermaid } from '../graph/mermaid.js';
import { runtimeView } from '../runtime-view.js';
import type { Target } from '../target.js';
import { readmeView } from './view.js';

/** README.md at the output root: what the system is, how to run it, its parts, its graph and its lint findings. */
const target: Target = {
  name: 'readme',
  render({ model, lint, templates, systemFile, codeRuntimes }, tree) {
    const view = readmeView(model, runtimeView(model), lint, systemFile, renderMermaid(model, lint.findings), codeRuntimes);
    tree.generated('README.md', templates.render('readme/README.md', view));
  },
};

export default target;
