// Texts of the identity feature (namespace "identity"), English. Same keys as zh-CN.ts.
import type zh from './zh-CN';

const identity: typeof zh = {
  login: {
    staffTitle: 'Staff login',
    customerTitle: 'Customer login',
    subtitle: 'Log in with your login name and password',
    login: 'Login name',
    loginPlaceholder: 'Enter your login name',
    password: 'Password',
    passwordPlaceholder: 'Enter your password',
    submit: 'Log in',
    sessionEnded: 'Your session has ended; please log in again',
    customerHint: 'Customers with an activated card can log in to see their account.',
  },
  me: {
    welcome: 'Hello, {{name}}',
    login: 'Login name',
    displayName: 'Name',
    organisation: 'Organisation',
    noOrganisation: 'None (customer account)',
    roles: 'Roles',
    permissions: 'Permissions',
    phone: 'Mobile number',
    idNumber: 'ID number',
    since: 'Account created',
    accountTitle: 'My account',
  },
  roles: {
    system_admin: 'System administrator',
    org_admin: 'Organisation administrator',
    doc_admin: 'Document administrator',
    seller: 'Seller',
    cashier: 'Cashier',
    underwriter: 'Underwriter',
    claims_handler: 'Claims handler',
    claims_approver: 'Claims approver',
    cs_agent: 'Customer service agent',
    auditor: 'Auditor',
    customer: 'Customer',
  },
  password: {
    title: 'Change password',
    current: 'Current password',
    new: 'New password',
    newHint: 'At least 10 characters',
    repeat: 'Repeat the new password',
    submit: 'Change password',
    done: 'Your password has been changed. Your sessions on other devices have ended.',
  },
  menu: {
    home: 'Home',
    password: 'Change password',
    account: 'Account',
  },
  console: {
    homeTitle: 'Workbench',
    signedInAs: 'Signed in',
    permissionCount: '{{count}} permissions',
  },
};

export default identity;
