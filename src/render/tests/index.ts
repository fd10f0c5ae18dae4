import { contractRoles } from '../contracts.js';
import type { Target } from '../target.js';

/**
 * One command at the root of a system with Python services that runs every
 * service's tests: a Makefile whose `test` runs the npm workspace's tests
 * (every Node.js service and the gateway) and, for each Python service, ruff,
 * mypy and pytest in that folder's own virtual environment. (A system of
 * Node.js services only has that command already: the workspace's `npm test`.)
 */
const target: Target = {
  name: 'tests',
  render(context, tree) {
    const { model } = context;
    const node = model.services.some((s) => s.runtime === 'node') || model.gateway?.kind === 'node';
    const python = model.services.filter((s) => s.runtime === 'python').map((s) => ({ name: s.name, dir: `services/${s.name}`, ...contractRoles(model, s) }));
    if (python.length === 0) return;
    tree.generated('Makefile', context.templates.render('tests/Makefile', { node, python }));
  },
};

export default target;
