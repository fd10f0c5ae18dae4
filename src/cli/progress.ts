import { Listr } from 'listr2';
import type { Io } from './io.js';

export interface Step {
  readonly title: string;
  readonly task: () => void | Promise<void>;
}

/**
 * Runs steps in order: with listr2's live display on a terminal, silently
 * otherwise (CI logs get the command's own plain lines instead of spinners).
 */
export async function progress(io: Io, steps: readonly Step[]): Promise<void> {
  if (!io.outIsTTY) {
    for (const step of steps) await step.task();
    return;
  }
  await new Listr(
    steps.map((step) => ({ title: step.title, task: step.task })),
    { concurrent: false, exitOnError: true, rendererOptions: { collapseSubtasks: false } },
  ).run();
}
