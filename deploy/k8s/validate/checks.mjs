// Checks for deploy/k8s: each object against the Kubernetes schema (kubernetes-models),
// and the references between objects that the schema cannot see (selectors, Services,
// volumes, probes, paths in arguments). Every check returns messages, never throws, so
// one run lists every problem.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

// The documents of YAML files, each with the file it came from.
export function loadDocuments(files) {
  const docs = [];
  for (const file of files) {
    // YAML 1.1, as Kubernetes reads it (sigs.k8s.io/yaml): 0400 is octal there.
    for (const parsed of parseAllDocuments(readFileSync(file, "utf8"), { version: "1.1" })) {
      if (parsed.errors.length > 0) throw new Error(`${file}: ${parsed.errors[0].message}`);
      const object = parsed.toJS();
      if (object != null) docs.push({ file, object });
    }
  }
  return docs;
}

function label(object) {
  return `${object?.kind ?? "?"}/${object?.metadata?.name ?? "?"}`;
}

// The kubernetes-models module of an apiVersion and kind, e.g. apps/v1 StatefulSet.
function modelPath(apiVersion, kind) {
  return `kubernetes-models/${apiVersion}/${kind}`;
}

// Schema errors of one object.
export async function schemaErrors(object) {
  if (typeof object?.apiVersion !== "string" || typeof object?.kind !== "string") {
    return [`${label(object)}: apiVersion and kind are required`];
  }
  let Model;
  try {
    Model = (await import(modelPath(object.apiVersion, object.kind)))[object.kind];
  } catch {
    return [`${label(object)}: unknown apiVersion/kind ${object.apiVersion} ${object.kind}`];
  }
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    return [`${label(object)}: ${error.message}`];
  }
}

const WORKLOADS = ["StatefulSet", "Deployment", "DaemonSet", "Job", "CronJob"];
const LONG_RUNNING = ["StatefulSet", "Deployment", "DaemonSet"];

// The pod template of a workload, or null.
function podTemplate(object) {
  if (object.kind === "CronJob") return object.spec?.jobTemplate?.spec?.template ?? null;
  return WORKLOADS.includes(object.kind) ? object.spec?.template ?? null : null;
}

function matches(selector, labels) {
  if (selector == null || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

function allContainers(spec) {
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
}

function portOf(containers, port) {
  return containers.some((c) =>
    (c.ports ?? []).some((p) => (typeof port === "number" ? p.containerPort === port : p.name === port)));
}

// Every in-cluster address a container's arguments or a ConfigMap's files name
// (SERVICE.NAMESPACE.svc:PORT, or POD.SERVICE.NAMESPACE.svc:PORT for a StatefulSet's pod)
// is a Service of the set exposing that port in that namespace; a pod address names a
// pod its StatefulSet runs (ordinal below its replicas) behind its headless Service.
const ADDRESS = /\b((?:[a-z0-9-]+\.)?[a-z0-9-]+)\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?:(\d+)/g;

function addressesIn(object) {
  const texts = [];
  if (object.kind === "ConfigMap") texts.push(...Object.values(object.data ?? {}));
  const template = podTemplate(object);
  for (const container of allContainers(template?.spec)) {
    texts.push(...(container.command ?? []), ...(container.args ?? []));
  }
  return texts.flatMap((text) => [...String(text).matchAll(ADDRESS)]);
}

function addressErrors(objects, named) {
  const errors = [];
  for (const object of objects) {
    for (const [address, host, namespace, port] of addressesIn(object)) {
      const where = `${label(object)}: address ${address}`;
      const [pod, serviceName] = host.includes(".") ? host.split(".") : [null, host];
      const service = named("Service", serviceName);
      if (service == null || service.metadata?.namespace !== namespace) {
        errors.push(`${where} names Service ${serviceName} in ${namespace}, which is not in the set`);
        continue;
      }
      if (!(service.spec?.ports ?? []).some((p) => p.port === Number(port))) {
        errors.push(`${where}: Service ${serviceName} has no port ${port}`);
      }
      if (pod == null) continue;
      const owner = objects.find((o) => o.kind === "StatefulSet" && o.spec?.serviceName === serviceName &&
        pod.startsWith(`${o.metadata?.name}-`));
      const ordinal = owner == null ? NaN : Number(pod.slice(owner.metadata.name.length + 1));
      if (owner == null || !Number.isInteger(ordinal) || ordinal >= (owner.spec?.replicas ?? 1)) {
        errors.push(`${where}: no StatefulSet behind ${serviceName} runs a pod ${pod}`);
      }
    }
  }
  return errors;
}

// Reference errors of the whole set.
export function referenceErrors(objects) {
  const errors = [];
  const byKind = (kind) => objects.filter((o) => o.kind === kind);
  const named = (kind, name) => byKind(kind).find((o) => o.metadata?.name === name);

  // One namespace, declared in the set; no two objects of a kind share a name.
  const namespaces = new Set(byKind("Namespace").map((o) => o.metadata?.name));
  const seen = new Set();
  for (const object of objects) {
    const key = `${object.kind}/${object.metadata?.namespace ?? ""}/${object.metadata?.name}`;
    if (seen.has(key)) errors.push(`${label(object)}: defined twice`);
    seen.add(key);
    if (object.kind !== "Namespace" && !namespaces.has(object.metadata?.namespace)) {
      errors.push(`${label(object)}: namespace "${object.metadata?.namespace}" is not defined in the set`);
    }
  }

  const pods = objects.filter(podTemplate).map((o) => ({ owner: o, template: podTemplate(o) }));
  const podsSelectedBy = (selector) => pods.filter((p) => matches(selector, p.template.metadata?.labels));

  for (const { owner, template } of pods) {
    const spec = template.spec ?? {};
    const containers = allContainers(spec);
    const name = label(owner);
    if (owner.kind !== "CronJob" && owner.kind !== "Job" &&
        !matches(owner.spec?.selector?.matchLabels, template.metadata?.labels)) {
      errors.push(`${name}: spec.selector.matchLabels does not match the pod template's labels`);
    }
    if (owner.kind === "StatefulSet") {
      const service = named("Service", owner.spec?.serviceName);
      if (service == null) {
        errors.push(`${name}: serviceName "${owner.spec?.serviceName}" names no Service`);
      } else if (service.spec?.clusterIP !== "None") {
        errors.push(`${name}: its Service ${owner.spec.serviceName} must be headless (clusterIP: None)`);
      } else if (!matches(service.spec?.selector, template.metadata?.labels)) {
        errors.push(`${name}: its Service ${owner.spec.serviceName} does not select its pods`);
      }
    }
    const volumes = new Map((spec.volumes ?? []).map((v) => [v.name, v]));
    for (const claim of owner.spec?.volumeClaimTemplates ?? []) volumes.set(claim.metadata?.name, claim);
    for (const volume of spec.volumes ?? []) {
      if (volume.secret && named("Secret", volume.secret.secretName) == null) {
        errors.push(`${name}: volume ${volume.name} needs Secret ${volume.secret.secretName}, which is not in the set`);
      }
      if (volume.secret && ((volume.secret.defaultMode ?? 0o644) & 0o077) !== 0) {
        errors.push(`${name}: volume ${volume.name} leaves its keys readable by others (defaultMode 0400)`);
      }
      if (volume.configMap && named("ConfigMap", volume.configMap.name) == null) {
        errors.push(`${name}: volume ${volume.name} needs ConfigMap ${volume.configMap.name}, which is not in the set`);
      }
      const claim = volume.persistentVolumeClaim?.claimName;
      if (claim && named("PersistentVolumeClaim", claim) == null) {
        errors.push(`${name}: volume ${volume.name} needs PersistentVolumeClaim ${claim}, which is not in the set`);
      }
    }
    for (const container of containers) {
      const where = `${name} container ${container.name}`;
      const mounts = container.volumeMounts ?? [];
      for (const mount of mounts) {
        if (!volumes.has(mount.name)) errors.push(`${where}: mounts ${mount.name}, which is no volume`);
      }
      if (!/:[^/:]+$/.test(container.image ?? "") || container.image.endsWith(":latest")) {
        errors.push(`${where}: image "${container.image}" must name a fixed tag`);
      }
      const resources = container.resources ?? {};
      if (!resources.requests?.cpu || !resources.requests?.memory || !resources.limits?.memory) {
        errors.push(`${where}: needs requests.cpu, requests.memory and limits.memory`);
      }
      // Files and directories named in flags must come from a mount.
      for (const arg of [...(container.command ?? []), ...(container.args ?? [])]) {
        for (const [, path] of String(arg).matchAll(/--\w+=(\/(?:etc|var|site|backups)[^\s"]*)/g)) {
          if (!mounts.some((m) => path === m.mountPath || path.startsWith(`${m.mountPath}/`))) {
            errors.push(`${where}: ${path} is not under any volume mount`);
          }
        }
      }
    }
    if (LONG_RUNNING.includes(owner.kind)) {
      for (const container of spec.containers ?? []) {
        const where = `${name} container ${container.name}`;
        for (const kind of ["readinessProbe", "livenessProbe"]) {
          if (container[kind] == null) errors.push(`${where}: needs a ${kind}`);
        }
        for (const kind of ["startupProbe", "readinessProbe", "livenessProbe"]) {
          const probe = container[kind];
          const port = probe?.grpc?.port ?? probe?.httpGet?.port ?? probe?.tcpSocket?.port;
          if (probe != null && !portOf([container], port)) {
            errors.push(`${where}: ${kind} port ${port} is not one of its ports`);
          }
        }
      }
    }
  }

  for (const service of byKind("Service")) {
    const selected = podsSelectedBy(service.spec?.selector);
    if (selected.length === 0) {
      errors.push(`${label(service)}: its selector selects no pod in the set`);
      continue;
    }
    for (const port of service.spec?.ports ?? []) {
      const target = port.targetPort ?? port.port;
      if (!selected.some((p) => portOf(p.template.spec?.containers ?? [], target))) {
        errors.push(`${label(service)}: port ${port.name ?? port.port} targets ${target}, which its pods do not expose`);
      }
    }
  }
  for (const policy of byKind("NetworkPolicy")) {
    const selected = podsSelectedBy(policy.spec?.podSelector?.matchLabels);
    if (selected.length === 0) {
      errors.push(`${label(policy)}: its podSelector selects no pod in the set`);
      continue;
    }
    for (const rule of policy.spec?.ingress ?? []) {
      for (const { port } of rule.ports ?? []) {
        if (!selected.some((p) => portOf(p.template.spec?.containers ?? [], port))) {
          errors.push(`${label(policy)}: admits port ${port}, which its pods do not expose`);
        }
      }
    }
  }
  errors.push(...addressErrors(objects, named));
  for (const budget of byKind("PodDisruptionBudget")) {
    if (podsSelectedBy(budget.spec?.selector?.matchLabels).length === 0) {
      errors.push(`${label(budget)}: its selector selects no pod in the set`);
    }
  }
  return errors;
}

// Every problem of the set: schema first, then references.
export async function checkAll(objects) {
  const errors = [];
  for (const object of objects) errors.push(...(await schemaErrors(object)));
  return errors.concat(referenceErrors(objects));
}
