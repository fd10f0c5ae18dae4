// Precompiles the system.yaml schema into dist/validate/system-validator.cjs (run by `npm run build`).
import { writeFileSync } from 'node:fs';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { createAjv } from '../dist/validate/schema.js';
import { precompiledUrl } from '../dist/validate/schema-file.js';

const ajv = createAjv({ code: { source: true } });
writeFileSync(precompiledUrl, standaloneCode.default(ajv, { validateSystem: 'system' }));
