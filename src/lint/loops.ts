import type { Tangle } from '../model/graph.js';

/** Loops named per tangle; the rest are counted in the last one's message. */
export const loopsShown = 10;

/** Loops enumerated per tangle before counting stops (`total` is then a lower bound). */
export const loopsCounted = 1000;

/** The messages every loop rule offers, around its own wording of one loop (`{{path}}`). */
export function loopMessages(loop: string): Record<'cycle' | 'tangled' | 'tangledLast', string> {
  const where = '(loop {{index}} of {{total}} in the tangle of {{members}})';
  return { cycle: loop, tangled: `${loop} ${where}`, tangledLast: `${loop} ${where}, and {{more}} more loops` };
}

/** One loop to report: which message, its values, and the services (loop first, then the rest of the tangle). */
export interface LoopReport {
  readonly loop: readonly string[];
  readonly messageId: 'cycle' | 'tangled' | 'tangledLast';
  readonly data: Readonly<Record<string, string>>;
  readonly services: readonly string[];
}

/**
 * The loops of a tangle to report, shortest first: one finding each, so that
 * every member and every (shown) loop is visible at once. A tangle that is one
 * single loop reads as before: just the loop.
 */
export function loopReports(tangle: Tangle): LoopReport[] {
  const shown = tangle.loops.slice(0, loopsShown);
  const total = tangle.complete ? String(tangle.total) : `more than ${tangle.total - 1}`;
  const more = tangle.complete ? String(tangle.total - shown.length) : `more than ${tangle.total - 1 - shown.length}`;
  return shown.map((loop, i) => {
    const inLoop = new Set(loop);
    const services = [...loop, ...tangle.members.filter((m) => !inLoop.has(m))];
    if (tangle.complete && tangle.total === 1) return { loop, messageId: 'cycle', data: {}, services };
    const last = i === shown.length - 1 && shown.length < tangle.total;
    return {
      loop,
      messageId: last ? 'tangledLast' : 'tangled',
      data: { index: String(i + 1), total, members: named(tangle.members), ...(last ? { more } : {}) },
      services,
    };
  });
}

/** Names for a message: all of them when few, else the first ten and how many more. */
function named(names: readonly string[]): string {
  return names.length <= 10 ? names.join(', ') : `${names.slice(0, 10).join(', ')} and ${names.length - 10} more`;
}
