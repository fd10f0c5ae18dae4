import type { Target } from '../target.js';

/** Placeholder until the broker target lands. */
const target: Target = {
  name: 'broker',
  render() {},
};

export default target;
