/**
 * The stored WhatsApp template list (issue 21.2) against a real Charla and the fake Graph: a
 * marketer's sync reads every page from the platform and stores it (audited), a later sync drops
 * templates deleted there, viewers read it but cannot sync.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { staffWithRole, type Staff } from '../auth/staff-client.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { startFakeGraph, type FakeGraph } from '../../fakes/whatsapp-graph.js';

const TOKEN = 'graph-token-campaign-templates';
const WABA_ID = '99887766';

describe('WhatsApp templates for campaigns', () => {
  let graph: FakeGraph;
  let app: TestApp;
  let marketer: Staff;
  let viewer: Staff;

  beforeAll(async () => {
    graph = await startFakeGraph({ token: TOKEN, phoneId: '1200', wabaId: WABA_ID });
    graph.templates.push(
      {
        name: 'rebajas',
        language: 'es',
        status: 'APPROVED',
        category: 'MARKETING',
        components: [{ type: 'BODY', text: 'Hola {{1}}, {{2}} de descuento' }],
      },
      {
        name: 'sale',
        language: 'en_US',
        status: 'APPROVED',
        category: 'MARKETING',
        components: [{ type: 'BODY', text: 'Sale on' }],
      },
      {
        name: 'borrador',
        language: 'es',
        status: 'REJECTED',
        category: 'MARKETING',
        components: [{ type: 'BODY', text: 'No' }],
      },
    );
    app = await startTestApp({
      WHATSAPP_CLOUD_TOKEN: TOKEN,
      WHATSAPP_CLOUD_PHONE_ID: '1200',
      WHATSAPP_APP_SECRET: 'secret',
      WHATSAPP_VERIFY_TOKEN: 'verify',
      WHATSAPP_GRAPH_URL: graph.url,
      WHATSAPP_WABA_ID: WABA_ID,
    });
    marketer = await staffWithRole(app, 'marketer');
    viewer = await staffWithRole(app, 'viewer');
  });
  afterAll(async () => {
    await app?.stop();
    await graph?.close();
  });

  it('syncs the platform’s list, stores it in place of the old one, audited', async () => {
    expect((await marketer.call('GET', '/api/campaigns/whatsapp-templates')).body).toEqual([]);
    const synced = await marketer.call('POST', '/api/campaigns/whatsapp-templates/sync', {});
    expect(synced.status).toBe(200);
    expect(
      synced.body.map((t: { name: string; status: string; variables: number }) => [
        t.name,
        t.status,
        t.variables,
      ]),
    ).toEqual([
      ['borrador', 'REJECTED', 0],
      ['rebajas', 'APPROVED', 2],
      ['sale', 'APPROVED', 0],
    ]);
    expect(graph.templateReads()).toBe(2);
    expect(await AuditEntry.countDocuments({ action: 'campaign.templates_sync' })).toBe(1);
    // Deleted on the platform: gone here after the next sync.
    graph.templates.splice(2, 1);
    const again = await marketer.call('POST', '/api/campaigns/whatsapp-templates/sync', {});
    expect(again.body.map((t: { name: string }) => t.name)).toEqual(['rebajas', 'sale']);
    const read = await viewer.call('GET', '/api/campaigns/whatsapp-templates');
    expect(read.status).toBe(200);
    expect(read.body).toHaveLength(2);
    expect(read.body[0]).toMatchObject({
      name: 'rebajas',
      language: 'es',
      body: 'Hola {{1}}, {{2}} de descuento',
      category: 'MARKETING',
    });
    expect((await viewer.call('POST', '/api/campaigns/whatsapp-templates/sync', {})).status).toBe(
      403,
    );
  });
});
