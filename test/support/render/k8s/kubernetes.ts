import { fileURLToPath } from 'node:url';
import { loadAll } from 'js-yaml';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import ts from 'typescript';

/** One Kubernetes object parsed from a rendered file. */
export interface K8sDocument {
  /** `<file>#<index>` */
  readonly source: string;
  readonly object: K8sObject;
}

/** Just enough typing to walk rendered objects in tests. */
export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; [key: string]: any };

interface Model {
  validate(): void;
}

/**
 * The kinds the base may render, each with its kubernetes-models class (the
 * official OpenAPI schema, compiled) and its TypeScript interface (for the
 * unknown-field check). A kind missing here fails validation: nothing is skipped.
 */
const kinds: Record<string, { readonly model: new (data: never) => Model; readonly module: string; readonly type: string }> = {
  'v1/Namespace': { model: Namespace, module: 'kubernetes-models/v1/Namespace', type: 'INamespace' },
  'v1/ConfigMap': { model: ConfigMap, module: 'kubernetes-models/v1/ConfigMap', type: 'IConfigMap' },
  'v1/PersistentVolumeClaim': { model: PersistentVolumeClaim, module: 'kubernetes-models/v1/PersistentVolumeClaim', type: 'IPersistentVolumeClaim' },
  'v1/Secret': { model: Secret, module: 'kubernetes-models/v1/Secret', type: 'ISecret' },
  'v1/Service': { model: Service, module: 'kubernetes-models/v1/Service', type: 'IService' },
  'apps/v1/Deployment': { model: Deployment, module: 'kubernetes-models/apps/v1/Deployment', type: 'IDeployment' },
  'apps/v1/StatefulSet': { model: StatefulSet, module: 'kubernetes-models/apps/v1/StatefulSet', type: 'IStatefulSet' },
  'networking.k8s.io/v1/NetworkPolicy': { model: NetworkPolicy, module: 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy', type: 'INetworkPolicy' },
};

/** Parses every YAML document of the given files (kustomization.yaml excepted: it is no Kubernetes object). */
export function documentsOf(files: readonly { readonly path: string; readonly content: string }[]): K8sDocument[] {
  return files
    .filter((f) => !f.path.endsWith('/kustomization.yaml'))
    .flatMap((f) => loadAll(f.content).map((object, i) => ({ source: `${f.path}#${i}`, object: object as K8sObject })));
}

/**
 * Validates one object against the official schema of its kind; throws with
 * the schema errors, or when the kind is not one the base may render.
 */
export function validateObject(object: K8sObject): void {
  const kind = kinds[`${object.apiVersion}/${object.kind}`];
  if (!kind) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
  new kind.model(object as never).validate();
}

/** Validates every document; returns `<source>: <error>` for each invalid one. */
export function schemaErrors(documents: readonly K8sDocument[]): string[] {
  const errors: string[] = [];
  for (const { source, object } of documents) {
    try {
      validateObject(object);
    } catch (error) {
      errors.push(`${source}: ${(error as Error).message}`);
    }
  }
  return errors;
}

const checkFile = fileURLToPath(new URL('./__unknown-fields__.ts', import.meta.url));

/**
 * The compiled schemas accept fields they do not know (the OpenAPI documents
 * allow them), so a misspelt `readinesProbe` would pass them. This check
 * assigns every object, as a literal, to its kind's TypeScript interface
 * (generated from the same OpenAPI documents); the compiler's excess-property
 * check then names every field Kubernetes does not have, at any depth.
 * Returns `<source>: <message>` per problem.
 */
export function unknownFieldErrors(documents: readonly K8sDocument[]): string[] {
  const imports: string[] = [];
  const lines: string[] = [];
  const used = new Set<string>();
  for (const { object } of documents) {
    const kind = kinds[`${object.apiVersion}/${object.kind}`];
    if (!kind) throw new Error(`no type for ${object.apiVersion} ${object.kind}`);
    if (!used.has(kind.type)) imports.push(`import type { ${kind.type} } from '${kind.module}';`);
    used.add(kind.type);
    lines.push(`export const d${lines.length}: ${kind.type} = ${JSON.stringify(object)};`);
  }
  const text = [...imports, ...lines].join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    name === checkFile ? ts.createSourceFile(name, text, language) : getSourceFile(name, language, ...rest);
  host.fileExists = (name) => name === checkFile || fileExists(name);
  host.readFile = (name) => (name === checkFile ? text : readFile(name));
  const program = ts.createProgram([checkFile], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    if (d.file?.fileName !== checkFile || d.start === undefined) return message;
    const line = d.file.getLineAndCharacterOfPosition(d.start).line - imports.length;
    return `${documents[line]?.source ?? '?'}: ${message}`;
  });
}
