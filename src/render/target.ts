import type { LintResult } from '../lint/lint.js';
import type { Runtime, SystemModel } from '../model/types.js';
import type { Templates } from './templates.js';
import type { History } from './migrations/plan.js';

/** What every target renders from: the model, the lint result (for reports) and the templates. */
export interface RenderContext {
  readonly model: SystemModel;
  readonly lint: LintResult;
  readonly templates: Templates;
  /** Path of system.yaml relative to the output directory, POSIX style (e.g. `system.yaml`). */
  readonly systemFile: string;
  /** Version of taskflow-gen doing the rendering; CI pins it so a new release cannot change the output under it. */
  readonly toolVersion: string;
  /** Runtimes whose service code a registered target generates (`node`, ...): a service of another runtime gets no folder. */
  readonly codeRuntimes: ReadonlySet<Runtime>;
  /** The JSON Schema of system.yaml this tool validates with, as shipped: copied for editors into `.taskflow/`. */
  readonly systemSchema: string;
  /** What earlier runs left of each service's migrations (read by the CLI); absent: every service is new. */
  readonly history?: History;
}

/** One output target (compose, k8s, broker, ...): a pure function from the context to files in the tree. */
export interface Target {
  readonly name: string;
  /** Set on the target that generates the code of every service of this runtime (`services/<name>/`). */
  readonly runtime?: Runtime;
  render(context: RenderContext, tree: TargetTree): void;
}

/** The tree as targets see it: generator files get the generated header added for them. */
export interface TargetTree {
  generated(path: string, content: string): void;
  user(path: string, content: string): void;
  /** A file written once by the generator and never rewritten (a migration); the content goes in as given. */
  appendOnly(path: string, content: string): void;
}
