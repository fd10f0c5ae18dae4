import type { Target } from '../target.js';

/** Placeholder until the asyncapi target lands. */
const target: Target = {
  name: 'asyncapi',
  render() {},
};

export default target;
