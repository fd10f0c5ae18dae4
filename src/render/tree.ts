/**
 * Who owns a file: the generator rewrites its files every run; a user file is
 * created once and then left alone; an append-only file (a migration) is
 * written once by the generator and then never rewritten, since databases
 * have applied it (an edit is the migrator's to catch, by its checksum).
 */
export type Owner = 'generator' | 'user' | 'append-only';

export interface RenderedFile {
  /** Relative POSIX path inside the output directory. */
  readonly path: string;
  readonly content: string;
  readonly owner: Owner;
}

/**
 * The in-memory result of rendering: every file the system should have, with
 * its owner. Nothing here touches the disk; the write stage plans against it.
 */
export class FileTree {
  private readonly byPath = new Map<string, RenderedFile>();

  /** Adds a file; a path may be produced once, and must stay inside the output directory. */
  add(path: string, content: string, owner: Owner): void {
    assertSafePath(path);
    if (this.byPath.has(path)) throw new Error(`render: ${path} is produced twice`);
    this.byPath.set(path, { path, content, owner });
  }

  get(path: string): RenderedFile | undefined {
    return this.byPath.get(path);
  }

  /** Every file, ordered by path so output and plans are deterministic. */
  files(): RenderedFile[] {
    return [...this.byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}

function assertSafePath(path: string): void {
  const segments = path.split('/');
  if (path.startsWith('/') || path.includes('\\') || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new Error(`render: unsafe output path '${path}'`);
  }
}
