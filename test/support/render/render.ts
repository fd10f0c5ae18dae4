import { readFileSync } from 'node:fs';
import { formatDiagnostic } from '../../../src/diagnostics/diagnostic.js';
import { lint } from '../../../src/lint/lint.js';
import { loadSystem } from '../../../src/load.js';
import type { SystemModel } from '../../../src/model/types.js';
import { renderSystem } from '../../../src/render/render.js';
import type { Target } from '../../../src/render/target.js';
import { targets as allTargets } from '../../../src/render/targets.js';
import { loadTemplates } from '../../../src/render/templates.js';
import { toolVersion } from '../../../src/cli/version.js';
import type { FileTree } from '../../../src/render/tree.js';

/** The reference examples every target must render and validate. */
export const exampleNames = ['taskflow', 'ecommerce', 'checkout', 'task-manager', 'order-saga'] as const;

/** Loads a system.yaml text into the model, failing the test with the diagnostics when invalid. */
export function modelOf(yaml: string): SystemModel {
  const loaded = loadSystem(yaml, 'system.yaml');
  if (!loaded.ok) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  return loaded.model;
}

/** The text of examples/<name>/system.yaml. */
export function exampleYaml(name: string): string {
  return readFileSync(new URL(`../../../examples/${name}/system.yaml`, import.meta.url), 'utf8');
}

/** Renders a system (YAML text) with the given targets, as `generate` would. */
export function renderYaml(yaml: string, targets: readonly Target[] = allTargets): FileTree {
  const model = modelOf(yaml);
  return renderSystem({ model, lint: lint(model), templates: loadTemplates(), systemFile: 'system.yaml', toolVersion: toolVersion() }, targets);
}
