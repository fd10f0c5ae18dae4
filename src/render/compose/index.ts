import { runtimeView } from '../runtime-view.js';
import type { Target } from '../target.js';
import { composeView } from './view.js';

/**
 * docker-compose.yml for a local run of the whole system, the `.env.example`
 * of every variable it interpolates, and (created once, then the user's) a
 * `.env` with those example values so `docker compose up` works at once, and
 * a `.gitignore` that keeps `.env` out of git.
 */
const target: Target = {
  name: 'compose',
  render({ model, templates }, tree) {
    const view = composeView(model, runtimeView(model));
    tree.generated('docker-compose.yml', templates.render('compose/docker-compose.yml', view.compose));
    const env = templates.render('compose/env', view.env);
    tree.generated('.env.example', env);
    tree.user('.env', env);
    tree.user('.gitignore', templates.render('compose/gitignore', {}));
  },
};

export default target;
