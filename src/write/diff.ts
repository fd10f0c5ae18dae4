import { createPatch } from 'diff';

/** A short unified diff of what is on disk against what would be generated, capped at `maxLines`. */
export function shortDiff(path: string, current: string | undefined, next: string | undefined, maxLines = 12): string {
  const patch = createPatch(path, current ?? '', next ?? '', 'on disk', 'generated', { context: 1 });
  const lines = patch.split('\n').slice(4).filter((l) => l !== '' && !l.startsWith('\\'));
  const shown = lines.slice(0, maxLines);
  if (lines.length > maxLines) shown.push(`... ${lines.length - maxLines} more lines`);
  return shown.join('\n');
}
