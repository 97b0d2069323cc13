// Texts shared by both apps (namespace "common"), English. Same keys as common.zh-CN.ts.
import type zh from './common.zh-CN';

const common: typeof zh = {
  appName: 'Anxin Insurance',
  consoleName: 'Anxin Insurance · Operations',
  language: {
    label: 'Language',
    'zh-CN': '中文',
    en: 'English',
  },
  actions: {
    back: 'Back',
    next: 'Next',
    submit: 'Submit',
    confirm: 'Confirm',
    cancel: 'Cancel',
    retry: 'Try again',
    login: 'Log in',
    logout: 'Log out',
    save: 'Save',
    edit: 'Change',
    home: 'Home',
    copy: 'Copy',
    copied: 'Copied',
  },
  table: {
    actions: 'Actions',
    region: 'List',
    search: 'Search',
    reset: 'Reset',
    empty: 'No data',
    previous: 'Previous',
    next: 'Next',
    page: 'Page {{page}}',
  },
  record: {
    status: 'Status',
    active: 'Active',
    disabled: 'Disabled',
    enable: 'Enable',
    disable: 'Disable',
  },
  actor: {
    system: 'System job {{job}}',
    anonymous: 'Not logged in',
    other: 'Customer',
  },
  loading: 'Loading…',
  errors: {
    network: 'No connection. Check the network and try again.',
    unexpected: 'The service is unavailable right now. Please try again later.',
    requestId: 'Request id: {{id}}',
    fieldsBelow: 'Please correct the following',
    notFound: 'Page not found',
  },
  validation: {
    idNumber: {
      required: 'Enter the ID number',
      invalid_format: 'The ID number is not in a valid format',
      invalid_checksum: "The ID number's check character is wrong",
      invalid_birth_date: 'The birth date in the ID number is not valid',
    },
    idType: {
      required: 'Choose the ID document',
    },
    residentId: {
      required: 'Enter the resident ID number',
      invalid_format: 'A resident ID number has 18 characters: 17 digits, then a digit or X',
      invalid_birth_date: 'The birth date in the resident ID number is not valid',
      invalid_checksum: 'The check character of the resident ID number is wrong',
    },
    phone: {
      required: 'Enter the mobile number',
      invalid_format: 'A mobile number has 11 digits starting with 13 to 19',
    },
    name: {
      required: 'Enter the name',
      invalid_format: 'The name contains invalid characters',
      too_long: 'The name has at most 50 characters',
    },
    serial: {
      required: 'Enter the card number',
      invalid_format: 'A card number is 2-4 letters and 11 digits',
      invalid_checksum: "The card number's check digit is wrong: check the number",
    },
    password: {
      required: 'Enter the password',
    },
    birthDate: {
      required: 'Enter the birth date',
      invalid_date: 'The birth date is not valid',
      age_not_insurable: 'The insured must be from {{min}} to {{max}} years old',
      age_not_insurable_days: 'The insured must be from {{min}} days to {{max}} years old',
      holder_not_adult: 'The policyholder must be at least 18',
    },
    sex: {
      required: 'Choose the sex',
    },
    share: {
      required: 'Enter the share',
      out_of_range: "The beneficiary's share must be 1-100 percent",
      shares_not_100: "The beneficiaries' shares must add up to 100 percent",
      too_many: 'At most 10 beneficiaries',
    },
    login: {
      required: 'Enter the login name',
    },
    newPassword: {
      required: 'Enter the new password',
      mismatch: 'The two new passwords differ',
    },
    generic: {
      required: 'This is required',
      invalid: 'This is not valid',
    },
  },
  idType: {
    resident_id: 'Resident ID card',
    hk_macau_id: 'Hong Kong / Macau ID card',
    taiwan_id: 'Taiwan ID card',
    hk_macau_permit: 'Mainland travel permit (HK / Macau)',
    taiwan_permit: 'Mainland travel permit (Taiwan)',
    passport: 'Foreign passport',
    foreign_permanent_id: 'Foreign permanent resident ID',
  },
  sex: {
    male: 'Male',
    female: 'Female',
  },
  relationship: {
    self: 'Self',
    spouse: 'Spouse',
    child: 'Child',
    parent: 'Parent',
    other: 'Other',
  },
  term: {
    day_one: '{{count}} day',
    day_other: '{{count}} days',
    month_one: '{{count}} month',
    month_other: '{{count}} months',
    year_one: '{{count}} year',
    year_other: '{{count}} years',
  },
  masked: 'Shown masked',
  notFound: {
    title: 'Page not found',
    body: 'The page does not exist or has moved.',
  },
};

export default common;
