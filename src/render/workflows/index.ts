import { runtimeView } from '../runtime-view.js';
import type { Target } from '../target.js';
import { workflowsView } from './view.js';

/** GitHub Actions: one path-filtered pipeline per service (and node gateway), plus the architecture check. */
const target: Target = {
  name: 'workflows',
  render({ model, templates, systemFile, toolVersion }, tree) {
    for (const file of workflowsView(runtimeView(model), systemFile, toolVersion)) tree.generated(file.path, templates.render(file.template, file.view));
  },
};

export default target;
