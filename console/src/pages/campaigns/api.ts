/** The campaigns calls of the console (docs/console-api.md, "Campaigns"). */
import { call } from '../../api/client';
import type { BodyOf } from '../../api/endpoints';

export type {
  AudiencePreview,
  CampaignChannel,
  CampaignMessage,
  CampaignReport,
  CampaignStatus,
  CampaignView,
  ExclusionReason,
  Funnel,
  OngoingCampaignView,
  RecipientView,
  WhatsAppTemplateView,
} from '../../../../src/features/campaigns/schemas';

export type CampaignBody = BodyOf<'POST /api/campaigns'>;
export type CampaignPatch = BodyOf<'PATCH /api/campaigns/:id'>;

export const listCampaigns = () => call('GET /api/campaigns');
export const getCampaign = (id: string) => call('GET /api/campaigns/:id', { params: { id } });
export const createCampaign = (body: CampaignBody) => call('POST /api/campaigns', { body });
export const updateCampaign = (id: string, body: CampaignPatch) =>
  call('PATCH /api/campaigns/:id', { params: { id }, body });

export const previewAudience = (segmentId: string, channel: string) =>
  call('GET /api/campaigns/audience', { query: { segmentId, channel } });

export const sendCampaign = (id: string) =>
  call('POST /api/campaigns/:id/send', { params: { id }, body: {} });
export const pauseCampaign = (id: string) =>
  call('POST /api/campaigns/:id/pause', { params: { id } });
export const resumeCampaign = (id: string) =>
  call('POST /api/campaigns/:id/resume', { params: { id } });
export const cancelCampaign = (id: string) =>
  call('POST /api/campaigns/:id/cancel', { params: { id } });
export const testSend = (id: string, body: BodyOf<'POST /api/campaigns/:id/test'>) =>
  call('POST /api/campaigns/:id/test', { params: { id }, body });

export const campaignReport = (id: string) =>
  call('GET /api/campaigns/:id/report', { params: { id } });
export const listRecipients = (id: string, status: string | null, offset: number, limit: number) =>
  call('GET /api/campaigns/:id/recipients', {
    params: { id },
    query: { status, offset, limit },
  });

/** The CSV of the recipients (a plain download link: the session cookie goes with it). */
export const reportCsvUrl = (id: string) => `/api/campaigns/${encodeURIComponent(id)}/report.csv`;

/** WhatsApp's approved templates as stored at the last sync, and a sync from Graph. */
export const listWhatsAppTemplates = () => call('GET /api/campaigns/whatsapp-templates');
export const syncWhatsAppTemplates = () => call('POST /api/campaigns/whatsapp-templates/sync');

/** The saved segments to pick an audience from (docs/console-api.md, "Segments"). */
export const listSegments = () => call('GET /api/segments');

export type OngoingBody = BodyOf<'POST /api/ongoing-campaigns'>;
export const listOngoing = () => call('GET /api/ongoing-campaigns');
export const createOngoing = (body: OngoingBody) => call('POST /api/ongoing-campaigns', { body });
export const setOngoingEnabled = (id: string, enabled: boolean) =>
  call('PATCH /api/ongoing-campaigns/:id', { params: { id }, body: { enabled } });
