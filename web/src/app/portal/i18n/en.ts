// Texts of the portal shell (namespace "portal"). English; same keys as zh-CN.ts.
import type zh from './zh-CN';

const texts: typeof zh = {
  home: {
    title: 'Insurance card self-service',
    intro:
      'No forms when you buy a card, and activation any time of day. Activating issues your policy, which you can look up whenever you like.',
    activate: 'Activate a card',
    activateBody: 'Enter the card number and password, choose a plan, fill in the details: your policy is issued at once',
    sms: 'Activate by SMS',
    smsBody: 'One text message activates the card: JH card-number password name ID-number',
    lookup: 'My card',
    lookupBody: "Check a card's status",
    login: 'Customer login',
    loginBody: 'Log in with your customer account',
    account: 'My account',
    accountBody: 'Your account details',
    otherChannels: 'You can also call customer service or visit one of our counters to activate a card.',
  },
  nav: {
    back: 'Back',
    main: 'Main content',
  },
};

export default texts;
