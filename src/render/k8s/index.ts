import type { Target } from '../target.js';

/** Placeholder until the k8s target lands. */
const target: Target = {
  name: 'k8s',
  render() {},
};

export default target;
