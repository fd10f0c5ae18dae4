import { runtimeView } from '../runtime-view.js';
import type { Target } from '../target.js';
import { asyncApiView } from './view.js';

/**
 * asyncapi.yaml at the output root: an AsyncAPI 3.0 document of every event,
 * the broker addresses it travels on and who sends or receives it. A system
 * without events gets none, whatever its broker.
 */
const target: Target = {
  name: 'asyncapi',
  render({ model, templates }, tree) {
    const view = asyncApiView(model, runtimeView(model));
    if (view) tree.generated('asyncapi.yaml', templates.render('asyncapi/asyncapi.yaml', view));
  },
};

export default target;
