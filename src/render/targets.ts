import type { Runtime } from '../model/types.js';
import asyncapi from './asyncapi/index.js';
import broker from './broker/index.js';
import compose from './compose/index.js';
import editorSchema from './editor-schema/index.js';
import gateway from './gateway/index.js';
import k8s from './k8s/index.js';
import migrations from './migrations/index.js';
import nodeService from './node-service/index.js';
import pythonService from './python-service/index.js';
import readme from './readme/index.js';
import tests from './tests/index.js';
import type { Target } from './target.js';
import workflows from './workflows/index.js';

/** Every output target, in the order they render. */
export const targets: readonly Target[] = [compose, k8s, broker, asyncapi, workflows, migrations, nodeService, pythonService, gateway, tests, readme, editorSchema];

/** Runtimes whose service code a registered target generates: a service of any other runtime gets no folder (generate warns). */
export const codeRuntimes: ReadonlySet<Runtime> = new Set(targets.flatMap((t) => (t.runtime === undefined ? [] : [t.runtime])));
