// Validates every Kubernetes manifest under the given folder against the Kubernetes API schemas shipped by the
// npm package kubernetes-models (types, required fields, formats, enums), and the Prometheus Operator's custom
// resources (monitoring.coreos.com: PrometheusRule, PodMonitor) against the CRD schemas of
// @kubernetes-models/prometheus-operator. Camel K's (camel.apache.org) are left to ManifestsTest, which checks them
// against the vendored Camel K CRD schema.
// Usage: node validate.mjs <folder>. Prints one line per finding on stdout, a count on stderr; exit 1 on findings.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

const CUSTOM_GROUPS = ["camel.apache.org/"];
// custom resources whose CRD schemas an npm package ships: API group prefix -> package
const CRD_PACKAGES = { "monitoring.coreos.com/": "@kubernetes-models/prometheus-operator" };

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.ya?ml$/.test(name) ? [p] : [];
  }).sort();
}

const findings = [];
let checked = 0;
for (const file of files(process.argv[2])) {
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (doc.errors.length) {
      findings.push(`${file}: YAML: ${doc.errors[0].message}`);
      continue;
    }
    const body = doc.toJSON();
    if (!body) continue;
    const where = `${file}: ${body.kind}/${body.metadata?.name}`;
    if (CUSTOM_GROUPS.some((g) => String(body.apiVersion).startsWith(g))) continue;
    let Model;
    try {
      const crd = Object.keys(CRD_PACKAGES).find((g) => String(body.apiVersion).startsWith(g));
      const pkg = crd ? CRD_PACKAGES[crd] : "kubernetes-models";
      Model = (await import(`${pkg}/${body.apiVersion}/${body.kind}`))[body.kind];
    } catch (e) {
      findings.push(`${where}: no Kubernetes schema for ${body.apiVersion} ${body.kind}`);
      continue;
    }
    try {
      new Model(body).validate();
      checked++;
    } catch (e) {
      for (const line of String(e.message).split(/, (?=data\/)/)) findings.push(`${where}: ${line}`);
    }
  }
}
findings.forEach((f) => console.log(f));
console.error(`validated ${checked} manifests, ${findings.length} findings`);
process.exit(findings.length ? 1 : 0);
