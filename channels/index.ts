/**
 * The channel registry: every adapter factory, registered once. A factory returns undefined when
 * its configuration is absent, and the app logs one line saying why the channel is off.
 */
import type { AdapterFactory } from '../src/kernel/contracts/channel-adapter.js';
import { createTelegramAdapter } from './telegram/index.js';
import { createSlackAdapter } from './slack/index.js';
import { createTwitterAdapter } from './twitter/index.js';
import { webchatFactory } from './webchat/index.js';
import { botFrameworkAdapter } from './botframework/index.js';
import { whatsappCloudAdapter } from './whatsapp/index.js';
import { whatsappWebAdapter } from './whatsapp-web/index.js';
import { createEmailAdapter } from './email/index.js';
export { createMailTransport as MAIL_TRANSPORT } from './email/transport.js';

export const ADAPTER_FACTORIES: AdapterFactory[] = [
  createTelegramAdapter,
  createTwitterAdapter,
  createSlackAdapter,
  webchatFactory,
  whatsappCloudAdapter,
  botFrameworkAdapter,
  whatsappWebAdapter,
  createEmailAdapter,
];
