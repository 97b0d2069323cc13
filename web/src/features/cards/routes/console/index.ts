// The cards feature's console pages (the card system of seed 000: card types, batches, issue and
// recall, status inquiry, sales, receipts, reversal, reports ...). Each page is a module of this
// folder; list it here with its menu group ("cards", "finance" or "reports"), order and the
// permissions that open it (those of GET /api/v1/me, e.g. "card.read"), and the console shows it.
import type { ConsoleRoute } from '../../../../components/layout/console-route';
import { i18next } from '../../../../lib/i18n';

const label = (key: string) => () => i18next.t(`cardsConsole:menu.${key}` as 'cardsConsole:menu.inquiry');

export const cardConsoleRoutes: ConsoleRoute[] = [
  {
    path: 'cards/types',
    label: label('types'),
    permissions: ['card.type.manage'],
    headOfficeOnly: true,
    menu: { group: 'cards', order: 5 },
    load: () => import('./CardTypesPage'),
  },
  {
    path: 'cards/batches',
    label: label('batches'),
    permissions: ['card.batch.create', 'card.batch.export'],
    headOfficeOnly: true,
    menu: { group: 'cards', order: 10 },
    load: () => import('./BatchesPage'),
  },
  {
    path: 'cards/issue',
    label: label('issue'),
    permissions: ['card.stock.move'],
    menu: { group: 'cards', order: 20 },
    load: () => import('./IssuePage'),
  },
  {
    path: 'cards/recall',
    label: label('recall'),
    permissions: ['card.stock.move'],
    menu: { group: 'cards', order: 30 },
    load: () => import('./RecallPage'),
  },
  {
    path: 'cards/inquiry',
    label: label('inquiry'),
    permissions: ['card.read'],
    menu: { group: 'cards', order: 40 },
    load: () => import('./CardInquiryPage'),
  },
  {
    path: 'cards/card',
    label: label('card'),
    permissions: ['card.read'],
    menu: { group: 'cards', order: 50 },
    load: () => import('./CardPage'),
  },
  {
    path: 'cards/lost',
    label: label('lost'),
    permissions: ['card.freeze'],
    menu: { group: 'cards', order: 60 },
    load: () => import('./LostPage'),
  },
  {
    path: 'cards/sale',
    label: label('sale'),
    permissions: ['card.sale'],
    menu: { group: 'cards', order: 70 },
    load: () => import('./SalePage'),
  },
  {
    path: 'cards/sales',
    label: label('sales'),
    permissions: ['card.read'],
    menu: { group: 'cards', order: 75 },
    load: () => import('./SalesPage'),
  },
  {
    path: 'cards/assist',
    label: label('assist'),
    permissions: ['card.activate.assist'],
    menu: { group: 'cards', order: 78 },
    load: () => import('./AssistPage'),
  },
  {
    path: 'cards/recovery',
    label: label('recovery'),
    permissions: ['card.sale'],
    menu: { group: 'cards', order: 80 },
    load: () => import('./RecoveryPage'),
  },
  {
    path: 'cards/receipts',
    label: label('receipts'),
    permissions: ['card.payment'],
    menu: { group: 'finance', order: 10 },
    load: () => import('./ReceiptsPage'),
  },
  {
    path: 'cards/confirm',
    label: label('confirm'),
    permissions: ['card.payment'],
    menu: { group: 'finance', order: 20 },
    load: () => import('./ConfirmPage'),
  },
  {
    path: 'cards/invoices',
    label: label('invoices'),
    permissions: ['invoice.read'],
    menu: { group: 'finance', order: 30 },
    load: () => import('./InvoicesPage'),
  },
  {
    path: 'cards/reports/stock',
    label: label('reportStock'),
    permissions: ['card.report'],
    menu: { group: 'reports', order: 10 },
    load: () => import('./ReportStockPage'),
  },
  {
    path: 'cards/reports/sales',
    label: label('reportSales'),
    permissions: ['card.report'],
    menu: { group: 'reports', order: 20 },
    load: () => import('./ReportSalesPage'),
  },
  {
    path: 'cards/reports/activations',
    label: label('reportActivations'),
    permissions: ['card.report'],
    menu: { group: 'reports', order: 30 },
    load: () => import('./ReportActivationsPage'),
  },
  {
    path: 'cards/reports/ageing',
    label: label('reportAgeing'),
    permissions: ['card.report'],
    menu: { group: 'reports', order: 40 },
    load: () => import('./ReportAgeingPage'),
  },
];
