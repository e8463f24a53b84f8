// MANIFEST_DIR=deploy/k8s SECRETS_DIR=DIR node checks_test.mjs: the checks pass on the
// real manifests (with the Secrets make-secrets writes) and catch each kind of mistake
// in a copy broken on purpose.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { checkAll, loadDocuments } from "./checks.mjs";

const manifestDir = process.env.MANIFEST_DIR;
const secretsDir = process.env.SECRETS_DIR;
assert.ok(manifestDir && secretsDir, "set MANIFEST_DIR and SECRETS_DIR");
const yamlIn = (dir) => readdirSync(dir).filter((f) => f.endsWith(".yaml")).map((f) => join(dir, f));

// The all-in-one set: every top-level manifest but none of split/.
function freshSet() {
  return loadDocuments([...yamlIn(manifestDir), ...yamlIn(secretsDir)]).map((d) => d.object);
}

// The split set: split/ with the namespace, revocations and public site.
function freshSplitSet() {
  const shared = ["namespace.yaml", "revocations.yaml", "public-site.yaml"].map((f) => join(manifestDir, f));
  return loadDocuments([...shared, ...yamlIn(join(manifestDir, "split")), ...yamlIn(secretsDir)])
    .map((d) => d.object);
}
const find = (objects, kind, name) => objects.find((o) => o.kind === kind && o.metadata.name === name);
const regulatord = (objects) => find(objects, "StatefulSet", "regulatord");
const server = (objects) => regulatord(objects).spec.template.spec.containers[0];

// Breaks a fresh copy of the set and returns the problems found.
async function problemsAfter(breakIt, set = freshSet) {
  const objects = set();
  breakIt(objects);
  return checkAll(objects);
}

function assertFinds(problems, pattern) {
  assert.ok(problems.some((p) => pattern.test(p)),
    `expected a problem matching ${pattern}, got:\n  ${problems.join("\n  ")}`);
}

test("the manifests and the generated secrets are valid", async () => {
  assert.deepEqual(await checkAll(freshSet()), []);
});

test("a value of the wrong type is a schema error", async () => {
  assertFinds(await problemsAfter((o) => { regulatord(o).spec.replicas = "one"; }),
    /StatefulSet\/regulatord: .*replicas must be integer/);
});

test("a misspelt kind is unknown", async () => {
  assertFinds(await problemsAfter((o) => { regulatord(o).kind = "StatefullSet"; }),
    /unknown apiVersion\/kind apps\/v1 StatefullSet/);
});

test("a Service whose selector selects no pod", async () => {
  assertFinds(await problemsAfter((o) => {
    find(o, "Service", "public-site").spec.selector = { "app.kubernetes.io/name": "public-sites" };
  }), /Service\/public-site: its selector selects no pod/);
});

test("a Service port aimed at a port the pods do not expose", async () => {
  assertFinds(await problemsAfter((o) => {
    find(o, "Service", "regulatord").spec.ports[0].targetPort = "grcp";
  }), /Service\/regulatord: port grpc targets grcp/);
});

test("a StatefulSet whose Service is missing or not headless", async () => {
  assertFinds(await problemsAfter((o) => { regulatord(o).spec.serviceName = "regulator"; }),
    /serviceName "regulator" names no Service/);
  assertFinds(await problemsAfter((o) => {
    delete find(o, "Service", "regulatord").spec.clusterIP;
  }), /must be headless/);
});

test("a network policy admitting a port the pods do not have", async () => {
  assertFinds(await problemsAfter((o) => {
    find(o, "NetworkPolicy", "regulatord").spec.ingress[1].ports[0].port = "metric";
  }), /NetworkPolicy\/regulatord: admits port metric/);
});

test("a selector that does not match its own pods", async () => {
  assertFinds(await problemsAfter((o) => {
    regulatord(o).spec.selector.matchLabels = { "app.kubernetes.io/name": "regulated" };
  }), /StatefulSet\/regulatord: spec.selector.matchLabels does not match/);
});

test("a Secret, ConfigMap or claim that is not in the set", async () => {
  assertFinds(await problemsAfter((o) => o.splice(o.indexOf(find(o, "Secret", "regulatord-tls")), 1)),
    /volume tls needs Secret regulatord-tls/);
  assertFinds(await problemsAfter((o) => o.splice(o.indexOf(find(o, "ConfigMap", "regulation-revocations")), 1)),
    /needs ConfigMap regulation-revocations/);
  assertFinds(await problemsAfter((o) => o.splice(o.indexOf(find(o, "PersistentVolumeClaim", "regulation-site")), 1)),
    /needs PersistentVolumeClaim regulation-site/);
});

test("keys mounted readable by others", async () => {
  assertFinds(await problemsAfter((o) => { regulatord(o).spec.template.spec.volumes[0].secret.defaultMode = 0o440; }),
    /leaves its keys readable by others/);
});

test("a probe on a port the container does not have", async () => {
  assertFinds(await problemsAfter((o) => { server(o).livenessProbe.grpc.port = 50053; }),
    /livenessProbe port 50053 is not one of its ports/);
  assertFinds(await problemsAfter((o) => { delete server(o).readinessProbe; }),
    /needs a readinessProbe/);
});

test("a flag naming a path no volume provides", async () => {
  assertFinds(await problemsAfter((o) => {
    server(o).args = server(o).args.map((a) => a.replace("--tls_dir=/etc/regulation/tls", "--tls_dir=/etc/regulation/certs"));
  }), /\/etc\/regulation\/certs is not under any volume mount/);
});

test("a mount of a volume that does not exist", async () => {
  assertFinds(await problemsAfter((o) => { server(o).volumeMounts[0].name = "datum"; }),
    /mounts datum, which is no volume/);
});

test("resources and image tags", async () => {
  assertFinds(await problemsAfter((o) => { delete server(o).resources.requests.memory; }),
    /needs requests.cpu, requests.memory and limits.memory/);
  assertFinds(await problemsAfter((o) => { server(o).image = "regulation.example/regulatord:latest"; }),
    /must name a fixed tag/);
});

test("an object outside the declared namespace, or defined twice", async () => {
  assertFinds(await problemsAfter((o) => { regulatord(o).metadata.namespace = "default"; }),
    /namespace "default" is not defined/);
  assertFinds(await problemsAfter((o) => { o.push(structuredClone(find(o, "ConfigMap", "regulation-revocations"))); }),
    /ConfigMap\/regulation-revocations: defined twice/);
});

test("the split set is valid: a StatefulSet per stateful service, each with its volume", async () => {
  const objects = freshSplitSet();
  assert.deepEqual(await checkAll(objects), []);
  for (const service of ["portraitd", "scoringd", "inspectiond", "disclosured"]) {
    const set = find(objects, "StatefulSet", service);
    assert.ok(set, `no StatefulSet ${service}`);
    assert.equal(set.spec.volumeClaimTemplates[0].metadata.name, "data");
    assert.ok(find(objects, "PodDisruptionBudget", service), `no PodDisruptionBudget ${service}`);
  }
});

const peers = (objects, file) => find(objects, "ConfigMap", "regulation-topology").data[file];

test("an address naming a pod its StatefulSet does not run", async () => {
  assertFinds(await problemsAfter((o) => {
    const data = find(o, "ConfigMap", "regulation-topology").data;
    data["scoringd-0.peers"] = data["scoringd-0.peers"].replace("portraitd-0.", "portraitd-1.");
  }, freshSplitSet), /address portraitd-1.portraitd.regulation.svc:50051: no StatefulSet behind portraitd runs a pod portraitd-1/);
});

test("an address naming a Service or port that is not there", async () => {
  assertFinds(await problemsAfter((o) => {
    const data = find(o, "ConfigMap", "regulation-topology").data;
    data["inspectiond-0.peers"] = peers(o, "inspectiond-0.peers").replace("scoringd-0.scoringd.", "scoring-0.scoring.");
  }, freshSplitSet), /names Service scoring in regulation, which is not in the set/);
  assertFinds(await problemsAfter((o) => {
    const job = find(o, "CronJob", "regulation-publish").spec.jobTemplate.spec.template.spec.containers[0];
    job.args = job.args.map((a) => a.replace(":50051", ":50052"));
  }), /Service regulation-disclosure has no port 50052/);
});

test("the publish job reads the log from whichever pod serves disclosure", async () => {
  const target = (objects) => find(objects, "Service", "regulation-disclosure").spec.selector["app.kubernetes.io/name"];
  assert.equal(target(freshSet()), "regulatord");
  assert.equal(target(freshSplitSet()), "disclosured");
});
