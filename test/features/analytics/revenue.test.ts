/**
 * Revenue analytics (issue 22) over seeded orders, conversations and campaign recipients with
 * known times: orders and revenue per day (cancelled left out and counted apart, orders outside
 * the range ignored), attribution in the 7-day window before each order — a campaign send or
 * reply wins over a conversation, a failed send or a conversation that ended before the window or
 * began after the order does not count, the studio sandbox never does — the channel of the last
 * touch, per campaign; a 1-day window; the CSV per day; roles and bad input.
 */
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Campaign, CampaignRecipient } from '../../../src/features/campaigns/models.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Order } from '../../../src/kernel/db/models/order.js';
import { asAdminToken, staffWithRole, type Staff } from '../auth/staff-client.js';
import { startTestApp, type TestApp } from '../../support/app.js';

const t = (iso: string) => new Date(`${iso}Z`);
const RANGE = 'from=2026-03-01&to=2026-03-03';

describe('revenue analytics', () => {
  let app: TestApp;
  let viewer: Staff;
  let agent: Staff;
  let spring = '';
  const contact: Record<string, Types.ObjectId> = {};
  let n = 0;

  const order = (who: string, placedAt: string, baseAmount: number, status = 'delivered') => {
    n += 1;
    return {
      externalId: `rev-${n}`,
      number: `REV-${n}`,
      contactId: contact[who]!,
      placedAt: t(placedAt),
      amount: baseAmount,
      currency: 'EUR',
      baseAmount,
      status,
      items: [],
      history: [],
    };
  };
  const conversation = (who: string, channel: string, createdAt: string, lastMessageAt: string) => {
    n += 1;
    return {
      contactId: contact[who]!,
      channel,
      platformConversationId: `rev-conv-${n}`,
      platformUserId: `rev-user-${n}`,
      status: 'bot',
      createdAt: t(createdAt),
      updatedAt: t(lastMessageAt),
      lastMessageAt: t(lastMessageAt),
    };
  };

  beforeAll(async () => {
    app = await startTestApp();
    viewer = await staffWithRole(app, 'viewer');
    agent = await staffWithRole(app, 'agent');
    for (const who of ['ana', 'bruno', 'carla', 'dani', 'eva', 'fede'])
      contact[who] = new Types.ObjectId();
    const campaign = await Campaign.create({
      name: 'Primavera',
      segmentId: new Types.ObjectId(),
      channel: 'email',
      status: 'done',
      message: { es: { subject: 'Hola', text: 'Rebajas' } },
    });
    spring = campaign._id.toHexString();
    const recipient = (who: string, state: string, sentAt: string, repliedAt?: string) => ({
      campaignId: campaign._id,
      contactId: contact[who]!,
      addressKey: `email:${who}@example.com`,
      state,
      sentAt: t(sentAt),
      ...(repliedAt ? { repliedAt: t(repliedAt) } : {}),
    });
    await CampaignRecipient.collection.insertMany([
      // Ana: sent 2 and 4 days before her two orders.
      recipient('ana', 'sent', '2026-02-27T10:00:00'),
      // Carla: sent long before, but replied 11 h before her order.
      recipient('carla', 'sent', '2026-02-10T10:00:00', '2026-03-01T09:00:00'),
      // Dani: the send failed — no touch.
      recipient('dani', 'failed', '2026-03-02T10:00:00'),
    ]);
    await Conversation.collection.insertMany([
      // Bruno: chatted on web chat 2 days before his order.
      conversation('bruno', 'webchat', '2026-02-28T09:00:00', '2026-02-28T09:30:00'),
      // Carla: a Telegram chat after her reply — the last touch's channel, but the campaign wins.
      conversation('carla', 'telegram', '2026-03-01T09:50:00', '2026-03-01T10:00:00'),
      // Dani: a WhatsApp chat that ended a month before.
      conversation('dani', 'whatsapp', '2026-02-01T09:00:00', '2026-02-01T09:10:00'),
      // Fede: a chat that began an hour after the order, and a studio sandbox chat before it.
      conversation('fede', 'webchat', '2026-03-02T12:00:00', '2026-03-02T12:05:00'),
      conversation('fede', 'studio', '2026-03-02T10:00:00', '2026-03-02T10:30:00'),
    ]);
    await Order.collection.insertMany([
      order('ana', '2026-03-01T12:00:00', 100),
      order('ana', '2026-03-03T10:00:00', 40),
      order('bruno', '2026-03-02T08:00:00', 50),
      order('carla', '2026-03-01T20:00:00', 30),
      order('dani', '2026-03-03T10:00:00', 20.5),
      order('eva', '2026-03-02T09:00:00', 999, 'cancelled'),
      order('eva', '2026-02-20T09:00:00', 70),
      order('fede', '2026-03-02T11:00:00', 10),
    ]);
  }, 120_000);
  afterAll(async () => app?.stop());

  it('counts orders and revenue per day, by attribution, channel and campaign', async () => {
    const res = await viewer.call('GET', `/api/analytics/revenue?${RANGE}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      from: '2026-03-01',
      to: '2026-03-03',
      currency: 'EUR',
      windowDays: 7,
      orders: 6,
      revenue: 250.5,
      averageOrder: 41.75,
      cancelledOrReturned: 1,
    });
    expect(res.body.byAttribution).toEqual({
      campaign: { orders: 3, revenue: 170 },
      conversation: { orders: 1, revenue: 50 },
      none: { orders: 2, revenue: 30.5 },
    });
    expect(res.body.byChannel).toEqual([
      { channel: 'email', orders: 2, revenue: 140 },
      { channel: 'webchat', orders: 1, revenue: 50 },
      { channel: 'none', orders: 2, revenue: 30.5 },
      { channel: 'telegram', orders: 1, revenue: 30 },
    ]);
    expect(res.body.byCampaign).toEqual([
      { campaignId: spring, name: 'Primavera', orders: 3, revenue: 170 },
    ]);
    expect(res.body.perDay).toEqual([
      {
        date: '2026-03-01',
        orders: 2,
        revenue: 130,
        campaignOrders: 2,
        campaignRevenue: 130,
        conversationOrders: 0,
        conversationRevenue: 0,
      },
      {
        date: '2026-03-02',
        orders: 2,
        revenue: 60,
        campaignOrders: 0,
        campaignRevenue: 0,
        conversationOrders: 1,
        conversationRevenue: 50,
      },
      {
        date: '2026-03-03',
        orders: 2,
        revenue: 60.5,
        campaignOrders: 1,
        campaignRevenue: 40,
        conversationOrders: 0,
        conversationRevenue: 0,
      },
    ]);
  });

  it('a one-day window keeps only the touches of the day before', async () => {
    const res = await viewer.call('GET', `/api/analytics/revenue?${RANGE}&windowDays=1`);
    expect(res.body.windowDays).toBe(1);
    expect(res.body.byAttribution).toEqual({
      campaign: { orders: 1, revenue: 30 },
      conversation: { orders: 0, revenue: 0 },
      none: { orders: 5, revenue: 220.5 },
    });
    expect(res.body.byChannel).toEqual([
      { channel: 'none', orders: 5, revenue: 220.5 },
      { channel: 'telegram', orders: 1, revenue: 30 },
    ]);
  });

  it('downloads the days as CSV, headers in the asked language', async () => {
    const res = await fetch(`${app.url}/api/analytics/revenue.csv?${RANGE}`, {
      headers: { ...asAdminToken, 'accept-language': 'es' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain('revenue-2026-03-01-2026-03-03.csv');
    const lines = (await res.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines).toEqual([
      'fecha,pedidos,ingresos,pedidos por campaña,ingresos por campaña,pedidos por conversación,ingresos por conversación,pedidos sin atribuir,ingresos sin atribuir,moneda',
      '2026-03-01,2,130,2,130,0,0,0,0,EUR',
      '2026-03-02,2,60,0,0,1,50,1,10,EUR',
      '2026-03-03,2,60.5,1,40,0,0,1,20.5,EUR',
    ]);
  });

  it('is for analytics readers only, and refuses bad input', async () => {
    expect((await agent.call('GET', `/api/analytics/revenue?${RANGE}`)).status).toBe(403);
    const inverted = await viewer.call(
      'GET',
      '/api/analytics/revenue?from=2026-03-03&to=2026-03-01',
    );
    expect(inverted.status).toBe(400);
    expect(inverted.body.error.code).toBe('invalid_request');
    const window = await viewer.call('GET', `/api/analytics/revenue?${RANGE}&windowDays=0`);
    expect(window.status).toBe(400);
  });
});
