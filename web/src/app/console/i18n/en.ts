// Texts of the console shell (namespace "console"). English; same keys as zh-CN.ts.
import type zh from './zh-CN';

const texts: typeof zh = {
  groups: {
    workbench: 'Workbench',
    cards: 'Cards',
    finance: 'Payments',
    reports: 'Reports',
    admin: 'Administration',
    account: 'Account',
  },
  header: {
    menu: 'Menu',
    user: 'Signed in',
  },
  forbidden: {
    title: 'Not allowed',
    body: "You may not open this page. Ask your organisation's administrator for access.",
  },
  customerAccount: {
    title: 'Please use a staff account',
    body: 'The operations console is for staff. Customers, please use the customer service pages.',
    portal: 'Go to customer service',
  },
  sessionError: 'Could not read your session',
};

export default texts;
