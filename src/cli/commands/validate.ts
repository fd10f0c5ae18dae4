import { readSystem } from '../read-system.js';
import { ExitCode, type Io } from '../io.js';
import { colorsFor } from '../style.js';

/** `taskflow-gen validate [FILE]`: 0 when the file is valid, 2 with positioned problems otherwise. */
export function validateCommand(file: string, io: Io): number {
  const model = readSystem(file, io);
  if (!model) return ExitCode.badInput;
  const c = colorsFor({ isTTY: io.outIsTTY });
  const events = model.events.length;
  io.out(`${c.green('✔')} ${model.file} is valid: system '${model.name}', ${model.services.length} service${model.services.length === 1 ? '' : 's'}, ${events} event${events === 1 ? '' : 's'}`);
  return ExitCode.ok;
}
