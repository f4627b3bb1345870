/**
 * Starts one real FerretDB (SQLite backend) for the whole run, or uses MONGODB_URI when set.
 * Each test app then isolates itself with its own database name and queue prefix.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedMongo } from '../../src/app/infra/embedded-mongo.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.MONGODB_URI) {
    project.provide('mongoUri', process.env.MONGODB_URI);
    return async () => undefined;
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'charla-test-db-'));
  const mongo = await startEmbeddedMongo({ dataDir, ferretdbBin: process.env.FERRETDB_BIN });
  project.provide('mongoUri', mongo.uri);
  return async () => {
    await mongo.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
