import type { LintResult } from '../lint/lint.js';
import type { SystemModel } from '../model/types.js';
import type { Templates } from './templates.js';

/** What every target renders from: the model, the lint result (for reports) and the templates. */
export interface RenderContext {
  readonly model: SystemModel;
  readonly lint: LintResult;
  readonly templates: Templates;
  /** Path of system.yaml relative to the output directory, POSIX style (e.g. `system.yaml`). */
  readonly systemFile: string;
  /** Version of taskflow-gen doing the rendering; CI pins it so a new release cannot change the output under it. */
  readonly toolVersion: string;
}

/** One output target (compose, k8s, broker, ...): a pure function from the context to files in the tree. */
export interface Target {
  readonly name: string;
  render(context: RenderContext, tree: TargetTree): void;
}

/** The tree as targets see it: generator files get the generated header added for them. */
export interface TargetTree {
  generated(path: string, content: string): void;
  user(path: string, content: string): void;
}
