import { isSeq } from 'yaml';
import { asRecord, callEndpoints, endpointPattern, Flow, runEdit, type EditResult } from './text.js';

/** Adds a sync edge FROM -> TO with endpoints, or the missing endpoints to an existing edge. */
export function addCall(text: string, file: string, from: string, to: string, endpoints: readonly string[]): EditResult {
  return runEdit(text, file, (editor) => {
    const services = asRecord(editor.value()['services']);
    for (const s of [from, to]) {
      if (!(s in services)) return [editor.diagnostic(`unknown service '${s}'`, ['services'], `services are: ${Object.keys(services).join(', ')}`)];
    }
    if (from === to) return [editor.diagnostic(`service '${from}' cannot call itself`, ['services', from])];
    if (endpoints.length === 0) return [editor.diagnostic('give at least one endpoint', ['services', from], "e.g. add-call order product 'GET /products/{id}'")];
    const wanted: string[] = [];
    for (const raw of endpoints) {
      const endpoint = raw.trim().replace(/\s+/g, ' ');
      if (!endpointPattern.test(endpoint)) return [editor.diagnostic(`'${raw}' must be METHOD /path`, ['services', from], 'METHOD is GET, POST, PUT, PATCH or DELETE; e.g. GET /orders/{id}')];
      if (!wanted.includes(endpoint)) wanted.push(endpoint);
    }
    const calls = asRecord(asRecord(services[from])['calls']);
    if (!(to in calls)) {
      editor.setKey(['services', from, 'calls'], to, new Flow(wanted));
      return `added call ${from} -> ${to}`;
    }
    const existing = callEndpoints(calls[to]);
    const missing = wanted.filter((e) => !existing.includes(e));
    if (missing.length === 0) return [editor.diagnostic(`service '${from}' calls ${wanted.join(', ')} of '${to}' already`, ['services', from, 'calls', to])];
    const path = isSeq(editor.node(['services', from, 'calls', to])) ? ['services', from, 'calls', to] : ['services', from, 'calls', to, 'endpoints'];
    editor.addItems(path, missing);
    return `added ${missing.join(', ')} to the call ${from} -> ${to}`;
  });
}
