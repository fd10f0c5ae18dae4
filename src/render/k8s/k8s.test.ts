import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { SystemModel } from '../../model/types.js';
import { runtimeView, type RuntimeView } from '../runtime-view.js';
import { exampleNames, modelOf, renderYaml } from '../../../test/support/render/render.js';
import k8s from './index.js';
import { documentsOf, schemaErrors, unknownFieldErrors, validateObject, type K8sDocument, type K8sObject } from '../../../test/support/render/k8s/kubernetes.js';
import { allowedConnections, podsOf, policiesOf, type Pod } from '../../../test/support/render/k8s/network.js';
import { allSystems, edgeSystems } from '../../../test/support/render/k8s/systems.js';
import { kubectl } from '../../../test/support/programs.js';


interface Rendered {
  readonly model: SystemModel;
  readonly runtime: RuntimeView;
  readonly files: readonly { readonly path: string; readonly content: string }[];
  readonly documents: readonly K8sDocument[];
  readonly objects: readonly K8sObject[];
}

function render(yaml: string): Rendered {
  const model = modelOf(yaml);
  const files = renderYaml(yaml, [k8s]).files();
  const documents = documentsOf(files);
  return { model, runtime: runtimeView(model), files, documents, objects: documents.map((d) => d.object) };
}

const rendered = new Map(allSystems.map(([name, yaml]) => [name, render(yaml)]));

function find(objects: readonly K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
}

/** The restricted Pod Security Standard, and the hardening the base promises on top. */
function expectHardened(kind: string, spec: K8sObject['spec'], user: number, readOnlyRoot: boolean): void {
  const pod = spec.template.spec;
  expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: user, seccompProfile: { type: 'RuntimeDefault' } });
  expect(pod.automountServiceAccountToken).toBe(false);
  for (const container of pod.containers) {
    expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: readOnlyRoot, capabilities: { drop: ['ALL'] } });
    expect(container.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container.resources.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) expect(container[probe], `${kind} ${probe}`).toBeDefined();
  }
}

describe.each(allSystems.map(([name]) => name))('%s', (name) => {
  const { model, runtime, files, documents, objects } = rendered.get(name)!;
  const system = model.name;
  const usesBroker = runtime.services.some((s) => s.usesBroker);

  it('renders only under k8s/, every file holding Kubernetes objects', () => {
    expect(files.every((f) => f.path.startsWith('k8s/'))).toBe(true);
    for (const file of files.filter((f) => !f.path.endsWith('kustomization.yaml'))) {
      expect(documents.some((d) => d.source.startsWith(`${file.path}#`)), file.path).toBe(true);
    }
  });

  it('validates every object against the official Kubernetes schema (kubernetes-models)', () => {
    expect(documents.length).toBeGreaterThan(0);
    expect(schemaErrors(documents)).toEqual([]);
  });

  it('lists every file in kustomization.yaml, with namespace and common labels', () => {
    const kustomization = loadAll(files.find((f) => f.path === 'k8s/kustomization.yaml')!.content)[0] as Record<string, unknown>;
    expect(kustomization).toMatchObject({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      namespace: system,
      labels: [{ pairs: { 'app.kubernetes.io/part-of': system, 'app.kubernetes.io/managed-by': 'taskflow-gen' }, includeTemplates: true }],
    });
    const listed = kustomization['resources'] as string[];
    expect([...listed].sort()).toEqual(files.map((f) => f.path.slice('k8s/'.length)).filter((p) => p !== 'kustomization.yaml').sort());
    expect(find(objects, 'Namespace', system)).toBeDefined();
  });

  it('creates no Secret: secrets are only referenced', () => {
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    for (const file of files) expect(file.content).not.toMatch(/^kind: Secret$/m);
  });

  it('runs each service as a hardened Deployment with its ConfigMap, Service and probes', () => {
    for (const service of runtime.services) {
      const deployment = find(objects, 'Deployment', service.name);
      expect(deployment.spec.replicas).toBe(1);
      expect(deployment.spec.template.metadata.labels['app.kubernetes.io/name']).toBe(service.name);
      expectHardened('Deployment', deployment.spec, 10001, true);
      const [container] = deployment.spec.template.spec.containers;
      expect(container.image).toBe(`${system}/${service.name}:latest`);
      expect(container.imagePullPolicy).toBe('IfNotPresent');
      expect(container.ports).toEqual([{ name: 'http', containerPort: service.port, protocol: 'TCP' }]);
      expect(container.livenessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
      expect(container.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http' });
      expect(container.startupProbe.httpGet).toEqual({ path: '/health', port: 'http' });
      expect(container.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
      expect(deployment.spec.template.spec.volumes).toContainEqual({ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } });

      // Plain environment through the ConfigMap, secrets by reference, exactly as the runtime view says.
      const plain = Object.fromEntries(service.env.flatMap((e) => ('value' in e ? [[e.name, e.value]] : [])));
      const secrets = service.env.flatMap((e) => ('secret' in e ? [{ name: e.name, valueFrom: { secretKeyRef: { name: e.secret.secret, key: e.secret.key } } }] : []));
      expect(container.envFrom).toEqual([{ configMapRef: { name: service.name } }]);
      expect(find(objects, 'ConfigMap', service.name).data).toEqual(plain);
      expect(container.env ?? []).toEqual(secrets);

      const svc = find(objects, 'Service', service.name);
      expect(svc.spec).toMatchObject({ type: 'ClusterIP', selector: { 'app.kubernetes.io/name': service.name }, ports: [{ port: service.port, targetPort: 'http' }] });

      // A sqlite database, or the embedded store of a Node.js service with events and no database, lives on a volume at /data.
      if (service.database?.engine === 'sqlite' || service.embeddedStore) {
        const claim = deployment.spec.template.spec.volumes.find((v: { name: string }) => v.name === 'data').persistentVolumeClaim.claimName;
        expect(find(objects, 'PersistentVolumeClaim', claim).spec.accessModes).toEqual(['ReadWriteOnce']);
        expect(container.volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
        expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
      } else {
        expect(container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
      }
    }
  });

  it('runs the gateway when there is one, behind a ClusterIP Service', () => {
    const gateway = runtime.gateway;
    expect(objects.some((o) => o.kind === 'Deployment' && o.metadata.name === 'gateway')).toBe(gateway !== undefined);
    if (!gateway) return;
    const deployment = find(objects, 'Deployment', 'gateway');
    expectHardened('Deployment', deployment.spec, 10001, true);
    const [container] = deployment.spec.template.spec.containers;
    expect(container.image).toBe(`${system}/gateway:latest`);
    // Its /health asks every service: alive is its own /ready, so one service down does not restart the gateway.
    expect(container.livenessProbe.httpGet.path).toBe('/ready');
    expect(container.startupProbe.httpGet.path).toBe('/ready');
    expect(container.readinessProbe.httpGet.path).toBe('/ready');
    expect(find(objects, 'Service', 'gateway').spec).toMatchObject({ type: 'ClusterIP', ports: [{ port: gateway.port }] });
  });

  it('runs each database server as a StatefulSet behind a headless Service named by its host', () => {
    for (const database of runtime.databases) {
      if (database.host === undefined) continue;
      const statefulSet = find(objects, 'StatefulSet', database.host);
      expect(statefulSet.spec.serviceName).toBe(database.host);
      expect(statefulSet.spec.volumeClaimTemplates).toHaveLength(1);
      const user = { postgres: 70, mysql: 999, mongodb: 999, sqlite: 0 }[database.engine];
      expectHardened('StatefulSet', statefulSet.spec, user, true);
      expect(statefulSet.spec.template.spec.securityContext.fsGroup).toBe(user);
      const [container] = statefulSet.spec.template.spec.containers;
      expect(container.image).toBe(database.image);
      expect(container.env).toContainEqual(expect.objectContaining({ valueFrom: { secretKeyRef: { name: database.password.secret, key: database.password.key } } }));
      expect(find(objects, 'Service', database.host).spec).toMatchObject({ clusterIP: 'None', ports: [{ port: database.port }] });
    }
  });

  it('runs the broker only when a service uses it', () => {
    expect(files.some((f) => f.path === 'k8s/broker.yaml')).toBe(usesBroker);
    if (!usesBroker) return;
    const broker = runtime.broker!;
    const statefulSet = find(objects, 'StatefulSet', 'broker');
    expectHardened('StatefulSet', statefulSet.spec, { rabbitmq: 100, nats: 10001, kafka: 1000 }[broker.kind], broker.kind !== 'kafka');
    expect(statefulSet.spec.template.spec.containers[0].image).toBe(broker.image);
    expect(find(objects, 'Service', 'broker').spec).toMatchObject({ clusterIP: 'None', ports: [{ port: broker.port }] });
  });

  it('allows exactly the declared connections, computed from the rendered NetworkPolicies alone', () => {
    expect(allowedConnections(policiesOf(objects, system), podsAround(objects, system), system)).toEqual(expectedConnections(model, runtime));
  });

  it('builds with `kubectl kustomize`, and the built objects still validate', () => {
    const dir = mkdtempSync(join(tmpdir(), 'taskflow-k8s-'));
    try {
      for (const file of files) {
        mkdirSync(dirname(join(dir, file.path)), { recursive: true });
        writeFileSync(join(dir, file.path), file.content);
      }
      const built = loadAll(execFileSync(kubectl(), ['kustomize', join(dir, 'k8s')], { encoding: 'utf8' })) as K8sObject[];
      expect(built).toHaveLength(documents.length);
      for (const object of built) {
        expect(object.metadata.labels).toMatchObject({ 'app.kubernetes.io/part-of': system, 'app.kubernetes.io/managed-by': 'taskflow-gen' });
        if (object.kind !== 'Namespace') expect(object.metadata).toMatchObject({ namespace: system });
        expect(() => validateObject(object)).not.toThrow();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The system's pods, plus a client in another namespace and the cluster DNS. */
function podsAround(objects: readonly K8sObject[], namespace: string): Pod[] {
  return [
    ...podsOf(objects, namespace),
    { name: 'outside', namespace: 'elsewhere', labels: { app: 'client' }, ports: [{ port: 443, protocol: 'TCP' }] },
    {
      name: 'kube-dns',
      namespace: 'kube-system',
      labels: { 'k8s-app': 'kube-dns' },
      ports: [
        { port: 53, protocol: 'UDP' },
        { port: 53, protocol: 'TCP' },
      ],
    },
  ];
}

/** What system.yaml declares, straight from the model: nothing more may be reachable. */
function expectedConnections(model: SystemModel, runtime: RuntimeView): string[] {
  const port = new Map(model.services.map((s) => [s.name, s.port]));
  const edges = new Set<string>();
  const usesBroker = (s: SystemModel['services'][number]) => model.broker !== 'none' && (s.publishes.length > 0 || s.subscribes.length > 0);
  const pods = [
    ...model.services.map((s) => s.name),
    ...(model.gateway ? ['gateway'] : []),
    ...runtime.databases.flatMap((d) => (d.host !== undefined ? [d.host] : [])),
    ...(model.services.some(usesBroker) ? ['broker'] : []),
  ];
  for (const pod of pods) edges.add(`${pod} -> kube-dns:53/UDP`).add(`${pod} -> kube-dns:53/TCP`);
  if (model.gateway) {
    // From anywhere: a client in another namespace, and the DNS pods alike.
    edges.add(`outside -> gateway:${model.gateway.port}/TCP`).add(`kube-dns -> gateway:${model.gateway.port}/TCP`);
    for (const route of model.gateway.routes) edges.add(`gateway -> ${route.service}:${port.get(route.service)!}/TCP`);
  }
  for (const service of model.services) {
    for (const call of service.calls) edges.add(`${service.name} -> ${call.callee}:${port.get(call.callee)!}/TCP`);
    // The database it owns, or the one that keeps a Python service's outbox and inbox.
    const database = runtime.databases.find((d) => d.name === (service.database?.name ?? `${service.name.replaceAll('-', '_')}_events`));
    if (database?.host !== undefined) edges.add(`${service.name} -> ${database.host}:${database.port!}/TCP`);
    if (usesBroker(service)) edges.add(`${service.name} -> broker:${runtime.broker!.port}/TCP`);
  }
  return [...edges].sort();
}

describe('validation', () => {
  const all = [...rendered.values()].flatMap((r) => r.documents);

  it('finds no field that Kubernetes does not have, in any object of any system', () => {
    expect(all.length).toBeGreaterThan(100);
    expect(unknownFieldErrors(all)).toEqual([]);
  });

  const deployment = () => structuredClone(find(rendered.get('ecommerce')!.objects, 'Deployment', 'order'));

  it('rejects an object the schema forbids', () => {
    const broken = deployment();
    broken.spec.replicas = 'one';
    expect(() => validateObject(broken)).toThrow(/replicas/);
    const noSelector = deployment();
    delete noSelector.spec.selector;
    expect(() => validateObject(noSelector)).toThrow(/selector/);
    expect(() => validateObject(deployment())).not.toThrow();
  });

  it('rejects a kind it has no schema for, so nothing goes unvalidated', () => {
    expect(() => validateObject({ apiVersion: 'v1', kind: 'Pdo', metadata: { name: 'x' } })).toThrow(/no schema/);
  });

  it('names a misspelt field at any depth', () => {
    const broken = deployment();
    broken.spec.template.spec.containers[0].readinesProbe = broken.spec.template.spec.containers[0].readinessProbe;
    const errors = unknownFieldErrors([{ source: 'order#0', object: broken }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^order#0: .*readinesProbe.* does not exist in type 'IContainer'/);
  });

  it('sees an undeclared connection in the policies', () => {
    const { model, runtime, objects } = rendered.get('ecommerce')!;
    const policies = structuredClone(objects.filter((o) => o.kind === 'NetworkPolicy'));
    // search may not call order: give it an egress rule anyway.
    const search = policies.find((p) => p.metadata.name === 'search')!;
    search.spec.egress.push({ to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'order' } } }], ports: [{ protocol: 'TCP', port: 3003 }] });
    const order = policies.find((p) => p.metadata.name === 'order')!;
    order.spec.ingress.push({ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'search' } } }] });
    const pods = podsAround(objects, 'ecommerce');
    const connections = allowedConnections(policiesOf(policies, 'ecommerce'), pods, 'ecommerce');
    expect(connections).not.toEqual(expectedConnections(model, runtime));
    expect(connections).toContain('search -> order:3003/TCP');
    // Without the default deny, DNS is gone (every workload's policy isolates its egress)...
    const withoutDefault = objects.filter((o) => o.metadata.name !== 'default-deny');
    expect(allowedConnections(policiesOf(withoutDefault, 'ecommerce'), pods, 'ecommerce')).not.toContain('search -> kube-dns:53/UDP');
    // ...and without the database's own policy as well, any pod reaches the database.
    const open = allowedConnections(policiesOf(withoutDefault.filter((o) => o.metadata.name !== 'orders-db'), 'ecommerce'), pods, 'ecommerce');
    expect(open).toContain('outside -> orders-db:5432/TCP');
    expect(open).not.toContain('search -> orders-db:5432/TCP'); // search's own egress policy still holds it back
  });
});

describe('rendering', () => {
  it('is deterministic', () => {
    for (const [, yaml] of allSystems) {
      const first = renderYaml(yaml, [k8s]).files();
      expect(renderYaml(yaml, [k8s]).files()).toEqual(first);
    }
  });

  it('covers the edge cases it claims to', () => {
    const runtimes = Object.keys(edgeSystems).map((name) => rendered.get(name)!.runtime);
    const engines = new Set(runtimes.flatMap((r) => r.databases.map((d) => d.engine)));
    for (const engine of ['mongodb', 'mysql', 'sqlite']) expect(engines).toContain(engine);
    expect(new Set(runtimes.map((r) => r.broker?.kind ?? 'none'))).toEqual(new Set(['none', 'nats', 'kafka', 'rabbitmq']));
    expect(new Set(runtimes.map((r) => r.gateway?.kind ?? 'none'))).toEqual(new Set(['none', 'nginx', 'node']));
    expect(exampleNames.length).toBe(5);
  });

  it('rolls the pods when the ConfigMap changes', () => {
    const hash = (yaml: string) => find(render(yaml).objects, 'Deployment', 'api').spec.template.metadata.annotations['taskflow-gen/config-hash'];
    const yaml = edgeSystems['no broker, no gateway, services without database']!;
    expect(hash(yaml)).toMatch(/^[0-9a-f]{16}$/);
    expect(hash(yaml.replace('  worker:\n', '  worker:\n    port: 4500\n'))).not.toBe(hash(yaml));
  });

  it('gives a database named with `_` a valid host, and mysql a root password of its own', () => {
    const { objects } = rendered.get('nats, nginx gateway, python, a shared mysql database, mongodb, an unreachable service')!;
    const statefulSet = find(objects, 'StatefulSet', 'shared-store-db');
    const env = statefulSet.spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'MARIADB_ROOT_PASSWORD', valueFrom: { secretKeyRef: { name: 'shared-store-db', key: 'root-password' } } });
    const policy = find(objects, 'NetworkPolicy', 'shared-store-db');
    expect(policy.spec.ingress.map((r: { from: { podSelector: { matchLabels: Record<string, string> } }[] }) => r.from[0]!.podSelector.matchLabels['app.kubernetes.io/name'])).toEqual(['alpha', 'beta']);
  });
});
