import type { LintResult } from '../lint.js';
import type { RuleMeta } from '../rule.js';

/** What a reporter knows besides the findings; reporters never see the model. */
export interface ReportContext {
  /** The linted file, as the user would type its path. */
  readonly file: string;
  readonly rules: readonly RuleMeta<unknown>[];
  readonly toolVersion: string;
  /** Wraps text in colour; identity when colour is off. */
  readonly paint: Paint;
}

export interface Paint {
  readonly red: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly blue: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly bold: (text: string) => string;
  readonly underline: (text: string) => string;
}

/** Turns findings into output, in pieces that joined are the whole report (a large report is never one string). */
export type Reporter = (result: LintResult, context: ReportContext) => Iterable<string>;
