import type { Target } from '../target.js';
import { k8sFiles } from './view.js';

/**
 * A Kustomize base under `k8s/`: the namespace, a Deployment, Service,
 * ConfigMap and NetworkPolicy per service and for the gateway, a StatefulSet
 * per database server and for the broker, and default-deny NetworkPolicies
 * that let through only the edges system.yaml declares. Secrets are only
 * referenced; kustomization.yaml lists the ones to create.
 */
const target: Target = {
  name: 'k8s',
  render({ model, templates }, tree) {
    for (const file of k8sFiles(model)) tree.generated(file.path, templates.render(file.template, file.view));
  },
};

export default target;
