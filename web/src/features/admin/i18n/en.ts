// English texts of the console's administration pages (namespace "admin"), same keys as zh-CN.ts.
import type zh from './zh-CN';

const admin: typeof zh = {
  menu: {
    audit: 'Audit log',
    trialBalance: 'Trial balance',
  },
  audit: {
    intro: 'Every write the platform made: who did what to which object, when, and with what result. Personal data in summaries are masked.',
    from: 'From',
    to: 'To',
    actorLogin: 'Actor login',
    actorLoginPlaceholder: "A staff member's login, e.g. doc.bj01",
    actor: 'Actor ID',
    actorColumn: 'Actor',
    object: 'Object',
    action: 'Action',
    actionPlaceholder: 'e.g. card.sell',
    objectType: 'Object type',
    objectId: 'Object ID',
    seq: 'No.',
    at: 'Time',
    result: 'Result',
    summary: 'Summary',
    requestId: 'Request',
    address: 'Client address',
  },
  trialBalance: {
    intro: 'Debit and credit totals of every ledger account; the books balance when both totals are equal. Head office only.',
    account: 'Account',
    code: 'Code',
    debit: 'Debit',
    credit: 'Credit',
    total: 'Total',
    balanced: 'Balanced: total debits equal total credits.',
    unbalanced: 'Not balanced: total debits differ from total credits. Check the ledger entries now.',
  },
};

export default admin;
