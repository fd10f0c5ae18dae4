import type { Target } from '../target.js';

/** Placeholder until the readme target lands. */
const target: Target = {
  name: 'readme',
  render() {},
};

export default target;
