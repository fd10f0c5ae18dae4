import type { Target } from '../target.js';
import { gatewayFiles } from './view.js';

/** `gateway/`: the generated Fastify gateway (gateway.kind node) or nginx.conf and its image (nginx). */
const target: Target = {
  name: 'gateway',
  render({ model, templates }, tree) {
    for (const file of gatewayFiles(model)) tree.generated(file.path, templates.render(file.template, file.view));
  },
};

export default target;
