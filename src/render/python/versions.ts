/**
 * Exact versions of every package a generated Python service installs: each
 * group is the complete set `pip freeze` shows after installing its direct
 * packages (the first ones named in the comments) on Python 3.11, so
 * requirements.txt pins the whole tree, not only the top of it. Bumped
 * deliberately, with the end-to-end tests run against the new set.
 */
export const pythonGroups = {
  // fastapi, uvicorn, pydantic, pydantic-settings, psycopg (+ binary, pool), httpx, prometheus-client
  service: {
    'annotated-doc': '0.0.7',
    'annotated-types': '0.8.0',
    anyio: '4.16.0',
    certifi: '2026.10.19.post1',
    click: '8.5.1',
    fastapi: '0.165.0',
    h11: '0.16.0',
    httpcore: '1.0.9',
    httpx: '0.28.1',
    idna: '3.20',
    'opentelemetry-api': '1.45.2',
    'prometheus-client': '0.26.0',
    psycopg: '3.3.9',
    'psycopg-binary': '3.3.9',
    'psycopg-pool': '3.3.3',
    pydantic: '2.14.4',
    'pydantic-core': '2.50.5',
    'pydantic-settings': '2.16.3',
    'python-dotenv': '1.2.4',
    starlette: '1.10.0',
    'typing-inspection': '0.4.5',
    'typing-extensions': '4.16.0',
    uvicorn: '0.54.0',
  },
  // pytest, ruff, mypy: the service's tests and checks (requirements-dev.txt)
  dev: {
    'ast-serialize': '0.13.1',
    iniconfig: '2.3.1',
    librt: '0.17.0',
    mypy: '2.4.1',
    'mypy-extensions': '1.2.0',
    packaging: '26.4',
    pathspec: '1.1.1',
    pluggy: '1.7.0',
    pygments: '2.21.0',
    pytest: '9.2.0',
    ruff: '0.17.6',
  },
  // pact-python (its Rust core ships in pact-python-ffi's wheel): the contract tests (requirements-dev.txt of a service with edges)
  contracts: {
    cffi: '2.1.1',
    'pact-python': '4.2.0',
    'pact-python-ffi': '0.5.12.1',
    pycparser: '3.12',
  },
  // jsonschema: the event layer checks each consumed payload against its event's schema (services with events)
  schemas: {
    attrs: '26.1.0',
    jsonschema: '4.26.0',
    'jsonschema-specifications': '2025.9.1',
    referencing: '0.37.0',
    'rpds-py': '2026.9.1',
  },
  // types-jsonschema: mypy's view of jsonschema (requirements-dev.txt of a service with events)
  schemaTypes: {
    'types-jsonschema': '4.26.0.20261006',
  },
} as const satisfies Record<string, Record<string, string>>;

export type PythonGroup = keyof typeof pythonGroups;

/** `name==version` lines of the given groups, sorted by name, each package once. */
export function requirementLines(groups: readonly PythonGroup[]): string[] {
  const pins = new Map<string, string>();
  for (const group of groups) for (const [name, version] of Object.entries(pythonGroups[group])) pins.set(name, version);
  return [...pins].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, version]) => `${name}==${version}`);
}

/** The Python of the images and CI (the tests of this repository run the generated services on it). */
export const pythonVersion = '3.11';
