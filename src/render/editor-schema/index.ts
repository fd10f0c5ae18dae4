import type { Target } from '../target.js';

/** Where generate puts the schema for editors; system.yaml's first line points at it relatively. */
export const editorSchemaPath = '.taskflow/system.schema.json';

/**
 * A copy of the JSON Schema of system.yaml in the output folder, so the
 * `# yaml-language-server: $schema=./.taskflow/system.schema.json` line keeps
 * working wherever the folder moves, and follows the tool's version: each run
 * refreshes it, and `generate --check` reports a copy older than the tool.
 */
const target: Target = {
  name: 'editor-schema',
  render({ systemSchema }, tree) {
    tree.generated(editorSchemaPath, systemSchema);
  },
};

export default target;
