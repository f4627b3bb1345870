#!/usr/bin/env node
/**
 * Kubernetes JSON schemas for kubeconform, made offline from a Kubernetes OpenAPI (v2) document.
 *
 * kubeconform normally downloads its schemas; CI cannot. The Go module k8s.io/kube-openapi (a
 * dependency of kubeconform itself) ships Kubernetes v1.27.0's whole OpenAPI document in
 * pkg/schemaconv/testdata/swagger.json, so scripts/check-chart.sh fetches that module with
 * `go mod download` and this script turns it into the "standalone-strict" layout kubeconform
 * reads, as openapi2jsonschema does: one file per kind named {kind}-{group}-{version}.json, each
 * with the definitions it reaches; objects closed (additionalProperties: false, what -strict
 * checks); int-or-string and quantities accepting both; apiVersion and kind pinned; null allowed
 * where the API server allows it (an optional field left null).
 *
 * Usage: node scripts/k8s-schemas.mjs SWAGGER_JSON OUT_DIR
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const INT_OR_STRING = { anyOf: [{ type: 'string' }, { type: 'integer' }, { type: 'null' }] };
const QUANTITY = { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'null' }] };

/** The same schema, closed and nullable, without descriptions (they only weigh). */
function convert(schema) {
  if (Array.isArray(schema)) return schema.map(convert);
  if (schema === null || typeof schema !== 'object') return schema;
  if (schema.format === 'int-or-string') return INT_OR_STRING;
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'description') continue;
    out[key] =
      key === 'properties'
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v)]))
        : convert(value);
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  if (typeof out.type === 'string') out.type = [out.type, 'null'];
  if (out.$ref) return { anyOf: [{ $ref: out.$ref }, { type: 'null' }] };
  return out;
}

function convertDefinition(name, schema) {
  if (name === 'io.k8s.apimachinery.pkg.api.resource.Quantity') return QUANTITY;
  return convert(schema);
}

/** Every definition a schema reaches through $ref, itself included. */
function reachable(definitions, name, seen = new Set()) {
  if (seen.has(name)) return seen;
  seen.add(name);
  const text = JSON.stringify(definitions[name]);
  for (const match of text.matchAll(/"\$ref":"#\/definitions\/([^"]+)"/g)) {
    reachable(definitions, match[1], seen);
  }
  return seen;
}

/** kubeconform's file name for a kind: lower-case kind, the group's first label, the version. */
function fileName({ group, version, kind }) {
  const groupLabel = group ? `-${group.split('.')[0]}` : '';
  return `${kind.toLowerCase()}${groupLabel}-${version}.json`.toLowerCase();
}

function schemaFor(definitions, name, gvk) {
  const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
  const root = convertDefinition(name, definitions[name]);
  root.properties = {
    ...root.properties,
    apiVersion: { type: ['string', 'null'], enum: [apiVersion] },
    kind: { type: ['string', 'null'], enum: [gvk.kind] },
  };
  root.type = 'object';
  const deps = [...reachable(definitions, name)].filter((d) => d !== name).sort();
  root.definitions = Object.fromEntries(deps.map((d) => [d, convertDefinition(d, definitions[d])]));
  return root;
}

function main([swaggerFile, outDir]) {
  if (!swaggerFile || !outDir) throw new Error('usage: k8s-schemas.mjs SWAGGER_JSON OUT_DIR');
  const { definitions, info } = JSON.parse(readFileSync(swaggerFile, 'utf8'));
  mkdirSync(outDir, { recursive: true });
  let written = 0;
  for (const [name, schema] of Object.entries(definitions)) {
    const kinds = schema['x-kubernetes-group-version-kind'] ?? [];
    // Several kinds on one definition (DeleteOptions, WatchEvent...) are not objects one applies.
    if (kinds.length !== 1) continue;
    const file = path.join(outDir, fileName(kinds[0]));
    writeFileSync(file, JSON.stringify(schemaFor(definitions, name, kinds[0])));
    written += 1;
  }
  console.log(`${written} kubeconform schemas of Kubernetes ${info?.version ?? '?'} in ${outDir}`);
}

main(process.argv.slice(2));
