import { systemSchemaText } from '../validate/schema-file.js';
import { withHeader } from './header.js';
import type { RenderContext, Target } from './target.js';
import { codeRuntimes } from './targets.js';
import { FileTree } from './tree.js';

/** What a caller gives renderSystem: the context, where the registry's code runtimes and the shipped schema are the defaults. */
export type RenderInput = Omit<RenderContext, 'codeRuntimes' | 'systemSchema'> & Partial<Pick<RenderContext, 'codeRuntimes' | 'systemSchema'>>;

/** Runs every target into one in-memory tree; the disk is untouched until the write stage. */
export function renderSystem(input: RenderInput, targets: readonly Target[]): FileTree {
  const context: RenderContext = { ...input, codeRuntimes: input.codeRuntimes ?? codeRuntimes, systemSchema: input.systemSchema ?? systemSchemaText() };
  const tree = new FileTree();
  const view = {
    generated: (path: string, content: string) => tree.add(path, withHeader(path, content), 'generator'),
    user: (path: string, content: string) => tree.add(path, content, 'user'),
    appendOnly: (path: string, content: string) => tree.add(path, content, 'append-only'),
  };
  for (const target of targets) target.render(context, view);
  return tree;
}
