import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { asList, asRecord, runEdit, type EditResult } from './text.js';

/**
 * Removes a service. Refused (as diagnostics) while other services call it or
 * subscribe to events only it publishes, unless `force`; then the calls to it
 * go too. Team membership and gateway routes naming it are always removed;
 * events stay declared.
 */
export function removeService(text: string, file: string, name: string, options: { force: boolean }): EditResult & { refused?: boolean } {
  let refused = false;
  const result = runEdit(text, file, (editor) => {
    const doc = editor.value();
    const services = asRecord(doc['services']);
    if (!(name in services)) return [editor.diagnostic(`unknown service '${name}'`, ['services'], `services are: ${Object.keys(services).join(', ')}`)];
    const callers = Object.keys(services).filter((s) => s !== name && name in asRecord(asRecord(services[s])['calls']));
    const publishers = (event: unknown): string[] => Object.keys(services).filter((s) => asList(asRecord(services[s])['publishes']).includes(event));
    const orphaned: Diagnostic[] = [];
    for (const s of Object.keys(services)) {
      if (s === name) continue;
      asList(asRecord(services[s])['subscribes']).forEach((event, i) => {
        const by = publishers(event);
        if (by.length === 1 && by[0] === name) orphaned.push(editor.diagnostic(`service '${s}' subscribes to ${String(event)}, which only '${name}' publishes`, ['services', s, 'subscribes', i]));
      });
    }
    if (!options.force && (callers.length > 0 || orphaned.length > 0)) {
      refused = true;
      return [
        ...callers.map((c) => editor.diagnostic(`service '${c}' calls '${name}'`, ['services', c, 'calls', name])),
        ...orphaned.map((d) => ({ ...d, hint: 'remove the subscription, or publish the event elsewhere' })),
      ].map((d) => ({ ...d, hint: d.hint ?? `remove the call first, or run with --force to remove it too` }));
    }
    // Bottom-up in the file is not needed: every step re-parses.
    for (const c of callers) editor.removeKey(['services', c, 'calls', name], 1);
    const routes = asList(asRecord(doc['gateway'])['routes']);
    for (let i = routes.length - 1; i >= 0; i--) if (asRecord(routes[i])['service'] === name) editor.removeItem(['gateway', 'routes'], i);
    for (const [team, members] of Object.entries(asRecord(doc['teams']))) {
      const i = asList(members).indexOf(name);
      if (i >= 0) editor.removeItem(['teams', team], i, 1);
    }
    editor.removeKey(['services', name]);
    return `removed service '${name}'${callers.length > 0 ? ` and the calls to it from ${callers.join(', ')}` : ''}`;
  });
  return refused ? { ...result, refused } : result;
}
