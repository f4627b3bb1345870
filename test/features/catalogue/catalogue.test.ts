import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCatalogue } from '../../../src/features/catalogue/export.js';
import {
  CatalogueError,
  loadCatalogue,
  readFlowFiles,
  readIntentFiles,
  reloadCatalogue,
} from '../../../src/pipeline/catalogue/catalogue.js';
import { IntentDefinitionError } from '../../../src/pipeline/catalogue/schema.js';
import { FlowDefinitionError } from '../../../src/pipeline/flows/schema.js';
import {
  FlowDefinitionModel,
  IntentDefinitionModel,
} from '../../../src/kernel/db/models/definitions.js';
import { startTestApp, type TestApp } from '../../support/app.js';

function catalogueDir(files: Record<string, string>): { intentsDir: string; flowsDir: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'charla-catalogue-'));
  const intentsDir = path.join(root, 'intents');
  const flowsDir = path.join(root, 'flows');
  mkdirSync(intentsDir);
  mkdirSync(flowsDir);
  for (const [name, body] of Object.entries(files)) writeFileSync(path.join(root, name), body);
  return { intentsDir, flowsDir };
}

describe('catalogue loader', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app?.stop());

  it('seeds every shipped intent and flow as version 1 and serves them', async () => {
    const { intents, flows } = app.charla.services.catalogue;
    expect(intents.map((i) => i.name)).toEqual(
      expect.arrayContaining([
        'greeting',
        'pricing',
        'human_agent',
        'lead_interest',
        'case_status',
        'unsubscribe',
      ]),
    );
    expect(intents.find((i) => i.name === 'lead_interest')?.action).toEqual({
      type: 'flow',
      flow: 'lead_capture',
    });
    expect(flows.map((f) => f.name)).toContain('lead_capture');
    const seeded = await FlowDefinitionModel.find({ name: 'lead_capture' }).lean();
    expect(seeded).toHaveLength(1);
    expect(seeded[0]).toMatchObject({ version: 1, source: 'seed' });
    expect(await IntentDefinitionModel.countDocuments({ name: 'pricing', source: 'seed' })).toBe(1);

    // Loading again (a restart, a second instance) seeds nothing twice.
    await loadCatalogue();
    expect(await FlowDefinitionModel.countDocuments({ name: 'lead_capture' })).toBe(1);
  });

  it('serves the highest valid version: an admin edit wins, a broken one never goes live', async () => {
    const pricing = await IntentDefinitionModel.findOne({ name: 'pricing' }).lean();
    await IntentDefinitionModel.create({
      name: 'pricing',
      version: 2,
      source: 'admin',
      training: pricing!.training,
      answers: { es: ['Precio nuevo'], en: ['New price'] },
      action: { type: 'answer' },
    });
    let live = await loadCatalogue();
    expect(live.intents.find((i) => i.name === 'pricing')?.answers?.en).toEqual(['New price']);

    await IntentDefinitionModel.create({
      name: 'pricing',
      version: 3,
      source: 'admin',
      training: { es: [], en: [] },
      action: { type: 'answer' },
    });
    live = await loadCatalogue();
    expect(live.intents.find((i) => i.name === 'pricing')?.answers?.en).toEqual(['New price']);
  });

  it('exports the live catalogue to YAML that reads back the same', async () => {
    const live = await loadCatalogue();
    const root = mkdtempSync(path.join(tmpdir(), 'charla-export-'));
    const dirs = { intentsDir: path.join(root, 'intents'), flowsDir: path.join(root, 'flows') };
    const files = await exportCatalogue(live, dirs);
    expect(files.length).toBe(live.intents.length + live.flows.length);
    const intents = await readIntentFiles(dirs.intentsDir);
    const flows = await readFlowFiles(dirs.flowsDir);
    const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);
    expect(intents.sort(byName)).toEqual([...live.intents].sort(byName));
    expect(flows.sort(byName)).toEqual([...live.flows].sort(byName));
  });

  it('reloads a new admin version into the running catalogue and retrains the NLU', async () => {
    const { catalogue, nlu } = app.charla.services;
    const pricing = catalogue.intents.find((i) => i.name === 'pricing')!;
    const latest = await IntentDefinitionModel.findOne({ name: 'pricing' })
      .sort({ version: -1 })
      .lean();
    await IntentDefinitionModel.create({
      name: 'pricing',
      version: (latest?.version ?? 1) + 1,
      source: 'admin',
      training: {
        es: [...pricing.training.es],
        en: [...pricing.training.en, 'quote for a zeppelin'],
      },
      answers: { es: ['Precio recargado'], en: ['Reloaded price'] },
      action: { type: 'answer' },
    });
    expect(nlu.parse('quote for a zeppelin').intent).not.toBe('pricing');
    await reloadCatalogue(catalogue, nlu);
    expect(catalogue.intents.find((i) => i.name === 'pricing')?.answers?.en).toEqual([
      'Reloaded price',
    ]);
    expect(nlu.parse('quote for a zeppelin').intent).toBe('pricing');
  });

  it('rejects a bad flow file, naming the file and the problem', async () => {
    const dirs = catalogueDir({
      'flows/broken.yaml': [
        'name: broken',
        'slots:',
        '  - name: email',
        '    type: email',
        '    label: { es: Email, en: Email }',
        '    prompt: { es: "¿Email?" }',
        '    reprompt: { es: "Otra vez", en: "Again" }',
        'completion: { action: create_case, messages: { es: "Caso {number}", en: "Case {number}" } }',
      ].join('\n'),
    });
    const err = await loadCatalogue(dirs).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlowDefinitionError);
    expect((err as Error).message).toContain('broken.yaml');
    expect((err as Error).message).toMatch(/slots\.0\.prompt\.en/);
    expect(await FlowDefinitionModel.countDocuments({ name: 'broken' })).toBe(0);
  });

  it('rejects an answer intent without answers and an intent pointing at a missing flow', async () => {
    const noAnswers = catalogueDir({
      'intents/mute.yaml':
        'name: mute\naction: { type: answer }\ntraining: { es: [hola], en: [hi] }\n',
    });
    await expect(loadCatalogue(noAnswers)).rejects.toBeInstanceOf(IntentDefinitionError);

    const dangling = catalogueDir({
      'intents/ghost.yaml':
        'name: ghost_intent\naction: { type: flow, flow: ghost_flow }\ntraining: { es: [fantasma], en: [ghost] }\n',
    });
    const err = await loadCatalogue(dangling).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CatalogueError);
    expect((err as Error).message).toMatch(/"ghost_intent" starts flow "ghost_flow"/);
  });
});
