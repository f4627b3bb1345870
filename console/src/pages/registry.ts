/**
 * Every page of the console, in one table: its path under /console, which roles may open it
 * (admin always may) and, when it belongs in the navigation, its label and place. Adding a page
 * = a folder under pages/ with its component + one entry here. The server still decides: a page
 * listed for a role only helps the UI hide what the API would refuse; the roles come from the
 * server's own table (ACCESS in src/kernel/roles.ts), so the two cannot drift.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { ACCESS } from '../../../src/kernel/roles';
import type { Role } from '../api/types';
import type { MessageKey } from '../i18n/en';

export interface ConsolePage {
  /** react-router path below /console, e.g. `conversations/:id`. */
  path: string;
  /** Who may open it besides admin; 'all' = any signed-in role. */
  roles: readonly Role[] | 'all';
  component: LazyExoticComponent<ComponentType>;
  /** Shown in the navigation when set (ordered by `order`). */
  nav?: { label: MessageKey; order: number };
}

const page = (load: () => Promise<{ default: ComponentType }>) => lazy(load);

export const PAGES: ConsolePage[] = [
  {
    path: 'conversations',
    roles: ACCESS.conversations.read,
    component: page(() => import('./conversations/ConversationsPage')),
    nav: { label: 'nav.conversations', order: 10 },
  },
  {
    path: 'conversations/:id',
    roles: ACCESS.conversations.read,
    component: page(() => import('./conversations/ConversationPage')),
  },
  {
    path: 'contacts',
    roles: ACCESS.contacts.read,
    component: page(() => import('./contacts/ContactsPage')),
    nav: { label: 'nav.contacts', order: 20 },
  },
  {
    path: 'contacts/import',
    roles: ACCESS.contacts.write,
    component: page(() => import('./contacts/ImportContactsPage')),
  },
  {
    path: 'contacts/:id',
    roles: ACCESS.contacts.read,
    component: page(() => import('./contacts/ContactPage')),
  },
  {
    path: 'leads',
    roles: ACCESS.leads.read,
    component: page(() => import('./leads/LeadsPage')),
    nav: { label: 'nav.leads', order: 30 },
  },
  {
    path: 'leads/:id',
    roles: ACCESS.leads.read,
    component: page(() => import('./leads/LeadPage')),
  },
  {
    path: 'cases',
    roles: ACCESS.cases.read,
    component: page(() => import('./cases/CasesPage')),
    nav: { label: 'nav.cases', order: 15 },
  },
  {
    path: 'canned-replies',
    roles: ACCESS.cannedReplies.read,
    component: page(() => import('./canned-replies/CannedRepliesPage')),
    nav: { label: 'nav.cannedReplies', order: 16 },
  },
  {
    path: 'cases/:id',
    roles: ACCESS.cases.read,
    component: page(() => import('./cases/CasePage')),
  },
  {
    path: 'segments',
    roles: ACCESS.segments.read,
    component: page(() => import('./segments/SegmentsPage')),
    nav: { label: 'nav.segments', order: 35 },
  },
  {
    path: 'sequences',
    roles: ACCESS.sequences.read,
    component: page(() => import('./sequences/SequencesPage')),
    nav: { label: 'nav.sequences', order: 37 },
  },
  {
    path: 'campaigns',
    roles: ACCESS.campaigns.read,
    component: page(() => import('./campaigns/CampaignsPage')),
    nav: { label: 'nav.campaigns', order: 39 },
  },
  {
    path: 'campaigns/new',
    roles: ACCESS.campaigns.write,
    component: page(() => import('./campaigns/CampaignPage')),
  },
  {
    path: 'campaigns/:id',
    roles: ACCESS.campaigns.read,
    component: page(() => import('./campaigns/CampaignPage')),
  },
  {
    path: 'campaigns/:id/report',
    roles: ACCESS.campaigns.read,
    component: page(() => import('./campaigns/CampaignReportPage')),
  },
  {
    path: 'scoring',
    roles: ACCESS.scoring.read,
    component: page(() => import('./scoring/ScoringPage')),
    nav: { label: 'nav.scoring', order: 36 },
  },
  {
    path: 'orders/import',
    roles: ACCESS.orders.write,
    component: page(() => import('./orders/OrdersImportPage')),
    nav: { label: 'nav.ordersImport', order: 38 },
  },
  {
    path: 'analytics',
    roles: ACCESS.analytics.read,
    component: page(() => import('./analytics/AnalyticsPage')),
    nav: { label: 'nav.analytics', order: 40 },
  },
  {
    path: 'value',
    roles: ACCESS.value.read,
    component: page(() => import('./value/ValuePage')),
    nav: { label: 'nav.value', order: 42 },
  },
  {
    path: 'studio',
    roles: ACCESS.studio.read,
    component: page(() => import('./studio/StudioPage')),
    nav: { label: 'nav.studio', order: 60 },
  },
  {
    path: 'studio/unanswered',
    roles: ACCESS.studio.read,
    component: page(() => import('./studio/UnansweredPage')),
  },
  {
    path: 'webhooks',
    roles: ACCESS.webhooks.read,
    component: page(() => import('./webhooks/WebhooksPage')),
    nav: { label: 'nav.webhooks', order: 95 },
  },
  {
    path: 'users',
    roles: ACCESS.users.read,
    component: page(() => import('./users/UsersPage')),
    nav: { label: 'nav.users', order: 90 },
  },
  {
    path: 'teams',
    roles: ACCESS.teams.write,
    component: page(() => import('./assignment/TeamsPage')),
    nav: { label: 'nav.teams', order: 92 },
  },
  {
    path: 'audit',
    roles: ACCESS.audit.read,
    component: page(() => import('./audit/AuditPage')),
    nav: { label: 'nav.audit', order: 100 },
  },
  {
    path: 'security',
    roles: 'all',
    component: page(() => import('./security/SecurityPage')),
    nav: { label: 'nav.security', order: 110 },
  },
];

export const navPages = (can: (page: ConsolePage) => boolean) =>
  PAGES.filter((p) => p.nav && can(p)).sort((a, b) => a.nav!.order - b.nav!.order);
