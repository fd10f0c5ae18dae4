import type { Target } from '../target.js';

/** Placeholder until the compose target lands. */
const target: Target = {
  name: 'compose',
  render() {},
};

export default target;
