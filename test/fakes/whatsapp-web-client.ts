/**
 * A fake whatsapp-web.js client (no browser): the test emits QR/ready/message events as the real
 * library would and scripts sendMessage failures; every send is recorded.
 */
import type {
  WhatsAppWebClient,
  WhatsAppWebClientOptions,
  WhatsAppWebMessage,
} from '../../channels/whatsapp-web/client.js';

type Listener = (...args: never[]) => void;

export interface FakeWhatsAppWebClient extends WhatsAppWebClient {
  /** The options the adapter built the client with. */
  options: WhatsAppWebClientOptions;
  initialized: number;
  destroyed: number;
  sent: Array<{ chatId: string; text: string; id: string }>;
  /** Every sendMessage call's chat, including failed ones. */
  sendCalls: string[];
  emit(event: 'qr', qr: string): void;
  emit(event: 'ready'): void;
  emit(event: 'disconnected', reason: string): void;
  emit(event: 'message', message: WhatsAppWebMessage): void;
  /** The next sends to `chatId` throw these errors, in order. */
  failNext(chatId: string, ...errors: Error[]): void;
}

export function createFakeWhatsAppWebClient(
  options: WhatsAppWebClientOptions,
): FakeWhatsAppWebClient {
  const listeners = new Map<string, Listener[]>();
  const failures = new Map<string, Error[]>();
  let counter = 0;
  const fake: FakeWhatsAppWebClient = {
    options,
    initialized: 0,
    destroyed: 0,
    sent: [],
    sendCalls: [],
    async initialize() {
      fake.initialized += 1;
    },
    on(event: string, listener: Listener) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
    },
    emit(event: string, ...args: unknown[]) {
      for (const l of listeners.get(event) ?? []) (l as (...a: unknown[]) => void)(...args);
    },
    async sendMessage(chatId, text) {
      fake.sendCalls.push(chatId);
      const failure = failures.get(chatId)?.shift();
      if (failure) throw failure;
      counter += 1;
      const id = `true_${chatId}_FAKE${counter}`;
      fake.sent.push({ chatId, text, id });
      return { id };
    },
    async destroy() {
      fake.destroyed += 1;
    },
    failNext(chatId, ...errors) {
      failures.set(chatId, [...(failures.get(chatId) ?? []), ...errors]);
    },
  } as FakeWhatsAppWebClient;
  return fake;
}

/** An incoming one-to-one text message, shaped like whatsapp-web.js's Message. */
export function incoming(
  opts: Partial<Omit<WhatsAppWebMessage, 'id'>> & { id: string; from: string },
): WhatsAppWebMessage {
  const { id, ...rest } = opts;
  return {
    id: { _serialized: `false_${opts.from}_${id}` },
    fromMe: false,
    isStatus: false,
    type: 'chat',
    body: '',
    timestamp: Math.floor(Date.now() / 1000),
    _data: { notifyName: 'Marta' },
    ...rest,
  };
}
