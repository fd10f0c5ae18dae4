import type { Loc, Severity, SystemModel } from '../model/types.js';

/** An edge of the service graph a finding is about; the graph command draws these in red. */
export interface FindingEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: 'sync' | 'async';
  /** For async edges: the event carried. */
  readonly event?: string;
}

/** What a rule reports; the runner adds the rule id and the configured severity. */
export interface Report {
  /** Key into the rule's `meta.messages`. */
  readonly messageId: string;
  /** Values for the `{{placeholders}}` of the message. */
  readonly data?: Readonly<Record<string, string | number>>;
  /** Every service the finding is about, most relevant first (a bounded sample where there can be thousands, counted in the message). */
  readonly services: readonly string[];
  /** The service whose `lint.ignore` can silence this finding; absent for system-wide findings. */
  readonly owner?: string;
  readonly loc: Loc;
  readonly edges?: readonly FindingEdge[];
  /** An informational finding (e.g. an additive change): reported as info whatever the rule's severity, unless it is off. */
  readonly info?: boolean;
}

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  readonly services: readonly string[];
  readonly line: number;
  readonly column: number;
  readonly edges: readonly FindingEdge[];
}

export interface RuleMeta<Options> {
  /** Stable id users put in config and CI. */
  readonly id: string;
  /** One line: what the rule flags. */
  readonly description: string;
  /** One paragraph: why it matters in a microservice system. */
  readonly rationale: string;
  readonly defaultSeverity: Severity;
  readonly defaultOptions: Options;
  /** JSON Schema of the options, merged into `lint.rules` of system.schema.json. */
  readonly optionsSchema: Readonly<Record<string, unknown>>;
  /** Messages by id, with `{{placeholder}}`s. */
  readonly messages: Readonly<Record<string, string>>;
}

export interface RuleContext<Options> {
  readonly model: SystemModel;
  /** The older system the model is compared with (`lint --against`); absent otherwise. */
  readonly against?: SystemModel;
  readonly options: Options;
  report(report: Report): void;
}

/** A lint rule: metadata plus a pure check over the model. */
export interface Rule<Options = Record<string, never>> {
  readonly meta: RuleMeta<Options>;
  check(context: RuleContext<Options>): void;
}

/** Declares a rule with its options type inferred from `defaultOptions`. */
export function defineRule<Options>(rule: Rule<Options>): Rule<Options> {
  return rule;
}

/** A rule whose options type is erased, for the registry. */
export type AnyRule = Rule<any>;
