import { withHeader } from './header.js';
import type { RenderContext, Target } from './target.js';
import { FileTree } from './tree.js';

/** Runs every target into one in-memory tree; the disk is untouched until the write stage. */
export function renderSystem(context: RenderContext, targets: readonly Target[]): FileTree {
  const tree = new FileTree();
  const view = {
    generated: (path: string, content: string) => tree.add(path, withHeader(path, content), 'generator'),
    user: (path: string, content: string) => tree.add(path, content, 'user'),
  };
  for (const target of targets) target.render(context, view);
  return tree;
}
