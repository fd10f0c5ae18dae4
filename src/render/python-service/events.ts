import type { Service } from '../../model/types.js';
import type { RenderContext, TargetTree } from '../target.js';
import type { PythonServiceView } from './view.js';

/**
 * The event layer of a Python service (app/events/: outbox, relay, inbox
 * consumers), started and stopped by the app's lifespan when `view.events`
 * is set. Not rendered yet: until it is, a Python service neither publishes
 * nor consumes, and its lifespan leaves the broker alone.
 */
export function renderPythonEvents(_context: RenderContext, _service: Service, _view: PythonServiceView, _tree: TargetTree): void {}

/** Whether app/events/ is rendered for the service (the lifespan then starts it). */
export function hasEventLayer(_view: Pick<PythonServiceView, 'usesBroker'>): boolean {
  return false;
}
