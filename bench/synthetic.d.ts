/** Synthetic system.yaml text of `count` services (see synthetic.js). */
export function syntheticSystem(count: number): string;
