// English texts of the identity feature's console pages (namespace "identityConsole"), same keys as zh-CN.ts.
import type zh from './zh-CN';

const identityConsole: typeof zh = {
  menu: {
    orgs: 'Organisations',
    users: 'Users',
  },
  orgs: {
    intro: 'Your organisation and those below it. Organisation administrators add lower organisations, rename them, or disable one (its staff are logged out).',
    tree: 'Organisation tree',
    code: 'Code',
    name: 'Name',
    level: 'Level',
    levels: {
      head_office: 'Head office',
      branch: 'Branch',
      institution: 'Institution',
      outlet: 'Outlet',
    },
    parent: 'Parent',
    select: 'Choose an organisation in the tree.',
    addChild: 'New lower organisation',
    created: 'Organisation {{code}} created.',
    saved: 'Saved.',
    disableConfirm: 'The staff of a disabled organisation are logged out and cannot log in. Disable {{name}}?',
  },
  users: {
    intro: 'Staff accounts of your organisation and those below it: find by organisation, role or name, create accounts, assign roles, disable or enable.',
    org: 'Organisation',
    role: 'Role',
    q: 'Login or name',
    login: 'Login',
    displayName: 'Name',
    phone: 'Mobile (optional)',
    roles: 'Roles',
    password: 'First password',
    passwordHint: 'At least 10 characters; tell the person through a safe channel and have them change it',
    create: 'New user',
    created: 'User {{login}} created.',
    editRoles: 'Roles',
    rolesTitle: 'Roles of {{login}}',
    rolesSaved: 'Roles of {{login}} updated.',
    locked: 'Locked',
    disableConfirm: '{{login}} is logged out at once. Disable?',
  },
};

export default identityConsole;
