import type { Target } from '../target.js';

/** Placeholder until the workflows target lands. */
const target: Target = {
  name: 'workflows',
  render() {},
};

export default target;
