// Texts of the portal shell (namespace "portal"). Chinese.
const texts = {
  home: {
    title: '保险卡自助服务',
    intro: '购卡时无需填写任何单据，24小时可自助激活。激活后即生成保单，可随时查询。',
    activate: '激活保险卡',
    activateBody: '输入卡号和密码，选择保障计划，填写信息后即时生成保单',
    sms: '短信激活',
    smsBody: '发送一条短信即可激活：JH 卡号 密码 姓名 身份证号',
    lookup: '我的保险卡',
    lookupBody: '查询保险卡状态',
    login: '客户登录',
    loginBody: '使用客户账号登录',
    account: '我的账户',
    accountBody: '查看账户信息',
    otherChannels: '也可拨打客服电话或前往本公司营业网点柜面办理激活。',
  },
  nav: {
    back: '返回',
    main: '主要内容',
  },
};

export default texts;
