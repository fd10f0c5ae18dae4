/** Synthetic system.yaml text of `count` services (see synthetic.js). */
export function syntheticSystem(count: number): string;
/** The lint benchmark's system.yaml text of `count` services (see synthetic.js). */
export function lintBenchSystem(count: number): string;
