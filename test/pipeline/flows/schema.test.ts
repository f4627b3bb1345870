import { describe, expect, it } from 'vitest';
import { readFlowFiles } from '../../../src/pipeline/catalogue/catalogue.js';
import { FlowDefinitionError, parseFlowDefinition } from '../../../src/pipeline/flows/schema.js';

const text = (es: string, en: string) => ({ es, en });
const validFlow = () => ({
  name: 'demo',
  slots: [
    {
      name: 'email',
      type: 'email',
      label: text('Email', 'Email'),
      prompt: text('¿Tu email?', 'Your email?'),
      reprompt: text('Email no válido', 'Invalid email'),
    },
  ],
  completion: { action: 'create_case', messages: text('Caso {number}', 'Case {number}') },
});

describe('flow definition schema', () => {
  it('accepts every shipped flow in flows/', async () => {
    const flows = await readFlowFiles();
    expect(flows.map((f) => f.name).sort()).toEqual([
      'callback_request',
      'human_agent',
      'human_offer',
      'lead_capture',
      'open_case',
      'send_transcript',
    ]);
    const lead = flows.find((f) => f.name === 'lead_capture')!;
    expect(lead.slots.map((s) => [s.name, s.required])).toEqual([
      ['name', true],
      ['email', true],
      ['phone', false],
      ['company', false],
      ['marketing_consent', false],
    ]);
    expect(lead.slots.at(-1)?.type).toBe('consent');
    expect(lead.confirmation?.onReject).toBe('choose');
  });

  it('fills defaults (required, maxAttempts, onIntent)', () => {
    const flow = parseFlowDefinition(validFlow());
    expect(flow.slots[0]?.required).toBe(true);
    expect(flow.maxAttempts).toBe(3);
    expect(flow.onIntent).toBe('reask');
  });

  it('rejects a bad flow naming each problem', () => {
    const bad = validFlow() as Record<string, unknown>;
    bad.slots = [
      {
        name: 'email',
        type: 'postcode',
        label: text('Email', 'Email'),
        prompt: { es: '¿Tu email?' },
        reprompt: text('x', 'y'),
      },
    ];
    bad.completion = { action: 'send_fax', messages: text('Hola {nombre}', 'Hi {nombre}') };
    let error: unknown;
    try {
      parseFlowDefinition(bad, 'flows/demo.yaml');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(FlowDefinitionError);
    const message = (error as Error).message;
    expect(message).toContain('Invalid flow definition flows/demo.yaml');
    expect(message).toMatch(/slots\.0\.type: /);
    expect(message).toMatch(/slots\.0\.prompt\.en: /);
    expect(message).toMatch(/completion\.action: /);
  });

  it('rejects unknown placeholders, duplicate slots and a confirm slot without a declined text', () => {
    const flow = validFlow();
    flow.completion.messages = text('Hola {nombre}', 'Hi {nombre}');
    expect(() => parseFlowDefinition(flow)).toThrow(/placeholder \{nombre\} is not a slot/);

    const dup = validFlow();
    dup.slots.push({ ...dup.slots[0]! });
    expect(() => parseFlowDefinition(dup)).toThrow(/slot "email" is defined twice/);

    const confirm = validFlow();
    confirm.slots[0] = { ...confirm.slots[0]!, name: 'ok', type: 'confirm' };
    expect(() => parseFlowDefinition(confirm)).toThrow(/confirm slot needs a `declined` text/);
  });

  it('rejects unknown keys (a typo is not silently ignored)', () => {
    const flow = { ...validFlow(), completon: {} };
    expect(() => parseFlowDefinition(flow)).toThrow(/completon/);
  });
});
