import { isMap } from 'yaml';
import { asList, asRecord, Flow, parseFields, runEdit, typeName, type EditResult } from './text.js';

export interface EventSpec {
  readonly name: string;
  /** `orderId:uuid total:number` */
  readonly fields: string;
  readonly publishers?: readonly string[];
  readonly subscribers?: readonly string[];
}

/** Declares an event under `events:` and adds it to its publishers' `publishes` and subscribers' `subscribes`. */
export function addEvent(text: string, file: string, spec: EventSpec): EditResult {
  return runEdit(text, file, (editor) => {
    const { name } = spec;
    if (!typeName.test(name)) return [editor.diagnostic(`event name '${name}' must be PascalCase`, ['events'], 'an upper-case letter, then letters or digits, e.g. OrderPlaced')];
    const doc = editor.value();
    const events = asRecord(doc['events']);
    if (name in events) return [editor.diagnostic(`event '${name}' exists already`, ['events', name], 'choose another name, or edit its payload in system.yaml')];
    const fields = parseFields(spec.fields, '--fields');
    if (typeof fields === 'string') return [editor.diagnostic(fields, ['events'])];
    if (Object.keys(fields).length === 0) return [editor.diagnostic('--fields: give the payload, e.g. --fields "orderId:uuid total:number"', ['events'])];
    const services = asRecord(doc['services']);
    for (const s of [...(spec.publishers ?? []), ...(spec.subscribers ?? [])]) {
      if (!(s in services)) return [editor.diagnostic(`unknown service '${s}'`, ['services'], `services are: ${Object.keys(services).join(', ')}`)];
    }
    // Follow the file's style: flow payloads when the first declared event uses one.
    const existing = editor.node(['events']);
    const firstValue = isMap(existing) ? existing.items[0]?.value : undefined;
    const flow = isMap(firstValue) && firstValue.flow;
    editor.setKey(['events'], name, flow ? new Flow(fields) : fields);
    for (const [list, who] of [['publishes', spec.publishers], ['subscribes', spec.subscribers]] as const) {
      for (const s of new Set(who ?? [])) {
        if (!asList(asRecord(services[s])[list]).includes(name)) editor.addItems(['services', s, list], [name]);
      }
    }
    return `added event '${name}'`;
  });
}
