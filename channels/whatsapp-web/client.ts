/**
 * The small slice of whatsapp-web.js the adapter uses, behind an interface so tests inject a fake
 * client (no browser). The real client logs in by QR once and keeps the session with LocalAuth
 * under DATA_DIR; it drives the system Chromium (install with PUPPETEER_SKIP_DOWNLOAD=1).
 */

/** The fields of a whatsapp-web.js Message the adapter reads (a real Message satisfies it). */
export interface WhatsAppWebMessage {
  id: { _serialized: string };
  /** Chat id: `<number>@c.us`, `<lid>@lid`, `<group>@g.us` or `status@broadcast`. */
  from: string;
  fromMe: boolean;
  isStatus: boolean;
  broadcast?: boolean;
  /** MessageTypes: chat, image, ptt, audio, video, document, sticker, location, vcard, ... */
  type: string;
  body: string;
  timestamp?: number;
  hasMedia?: boolean;
  location?: { latitude: string | number; longitude: string | number; description?: string };
  vCards?: string[];
  /** Raw WhatsApp fields (not in the library's typings): sender push name, media type and name. */
  _data?: { notifyName?: string; mimetype?: string; filename?: string };
}

export interface WhatsAppWebClient {
  initialize(): Promise<void>;
  on(event: 'qr', listener: (qr: string) => void): void;
  on(event: 'ready', listener: () => void): void;
  on(event: 'message', listener: (message: WhatsAppWebMessage) => void): void;
  on(event: 'disconnected', listener: (reason: string) => void): void;
  /** Resolves with the sent message's serialized id. */
  sendMessage(chatId: string, text: string): Promise<{ id: string }>;
  destroy(): Promise<void>;
}

export interface WhatsAppWebClientOptions {
  authDir: string;
  chromiumPath: string;
}

export type WhatsAppWebClientFactory = (opts: WhatsAppWebClientOptions) => WhatsAppWebClient;

/** The real client. whatsapp-web.js (and puppeteer) load only when the channel is enabled. */
export const createRealClient: WhatsAppWebClientFactory = (opts) => {
  type Lib = typeof import('whatsapp-web.js');
  let client: InstanceType<Lib['Client']> | undefined;
  const pending: Array<(c: InstanceType<Lib['Client']>) => void> = [];
  const withClient = async () => {
    if (client) return client;
    const { Client, LocalAuth } = await import('whatsapp-web.js');
    client = new Client({
      authStrategy: new LocalAuth({ dataPath: opts.authDir }),
      puppeteer: {
        executablePath: opts.chromiumPath,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      },
    });
    for (const register of pending.splice(0)) register(client);
    return client;
  };
  return {
    async initialize() {
      await (await withClient()).initialize();
    },
    on(event: string, listener: (...args: never[]) => void) {
      const register = (c: InstanceType<Lib['Client']>) =>
        c.on(event, listener as (...args: unknown[]) => void);
      if (client) register(client);
      else pending.push(register);
    },
    async sendMessage(chatId, text) {
      const sent = await (await withClient()).sendMessage(chatId, text);
      return { id: sent.id._serialized };
    },
    async destroy() {
      await client?.destroy();
    },
  };
};
