// Texts of the console's notification pages (namespace "notifyConsole"). English.
import type zh from './zh-CN';

const notifyConsole: typeof zh = {
  menu: {
    simulator: 'SMS gateway simulator',
  },
  simulator: {
    intro: 'While no real SMS gateway is configured (as in the demo), every SMS the platform sends is kept here; a simulated phone sends the platform an SMS (e.g. an SMS activation) and shows its reply.',
    off: 'A real SMS gateway is configured: the simulator is off',
    offBody: 'SMS go through the real gateway; send an SMS to the service number from a phone. This page works only while no SMS gateway is configured.',
    phone: 'Simulated phone',
    from: "Sender's mobile number",
    fromPlaceholder: 'e.g. 13800138000',
    text: 'Message',
    textRequired: 'Please type the message',
    help: 'SMS activation format:',
    helpFormat: 'JH card-number password name ID-number',
    helpNote: "The sender's mobile becomes the policyholder's; the card's default plan is activated.",
    send: 'Send',
    reply: "Platform's reply",
    activated: 'Activated',
    rejected: 'Not activated',
    messages: 'SMS the platform sent',
    refresh: 'Refresh',
    count: 'Latest {{count}}',
    empty: 'No SMS sent yet',
    columns: {
      time: 'Time',
      to: 'To',
      template: 'Template',
      text: 'Text',
      status: 'Status',
    },
    status: {
      pending: 'Pending',
      sent: 'Sent',
      failed: 'Failed',
    },
  },
};

export default notifyConsole;
