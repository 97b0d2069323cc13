// The cards feature's console pages (the card system of seed 000: card types, batches, issue and
// recall, status inquiry, sales, receipts, reversal, reports ...). Each page is a module of this
// folder; list it here with its menu group ("cards", "finance" or "reports"), order and the
// permissions that open it (those of GET /api/v1/me, e.g. "card.read"), and the console shows it.
import type { ConsoleRoute } from '../../../../components/layout/console-route';

export const cardConsoleRoutes: ConsoleRoute[] = [];
