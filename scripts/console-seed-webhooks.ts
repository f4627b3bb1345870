/**
 * Webhooks for the console screenshots: a local receiver on 127.0.0.1 (200 on /ok, 410 on
 * /gone) and three webhooks — one delivering, one refused, one pointing at a closed port
 * (retrying) — each sent a test ping, so the list and the delivery log show every state.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeededWebhooks {
  delivering: string;
  refused: string;
  retrying: string;
  close(): Promise<void>;
}

async function post(url: string, headers: Record<string, string>, body?: unknown) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; deliveryId: string };
}

export async function seedWebhooks(
  url: string,
  admin: Record<string, string>,
): Promise<SeededWebhooks> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(req.url === '/gone' ? 410 : 200).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const create = (body: unknown) => post(`${url}/api/webhooks`, admin, body);
  const delivering = await create({
    url: `${base}/ok`,
    events: [
      'lead.created',
      'lead.updated',
      'case.created',
      'case.updated',
      'conversation.escalated',
    ],
    description: 'HubSpot — leads y casos del equipo comercial de la oficina de Valparaíso',
  });
  const refused = await create({
    url: `${base}/gone`,
    events: ['lead.created'],
    description: 'Old Salesforce import (decommissioned)',
  });
  const retrying = await create({
    url: 'http://127.0.0.1:9/hooks/charla/a-very-long-path/that-keeps-going/and-going?token=abc123',
    events: ['conversation.escalated'],
    active: false,
  });
  for (const hook of [delivering, delivering, refused, refused, retrying]) {
    await post(`${url}/api/webhooks/${hook.id}/test`, admin);
  }
  // Let the worker make its first attempts.
  await new Promise((r) => setTimeout(r, 1500));
  return {
    delivering: delivering.id,
    refused: refused.id,
    retrying: retrying.id,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
