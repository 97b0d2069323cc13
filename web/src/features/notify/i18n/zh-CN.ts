// Texts of the console's notification pages (namespace "notifyConsole"). Chinese.
const notifyConsole = {
  menu: {
    simulator: '短信网关模拟器',
  },
  simulator: {
    intro: '未配置真实短信网关时（如演示环境），平台发出的短信都记录在这里；也可用模拟手机向平台发送短信（如短信激活），查看平台的回复。',
    off: '已配置真实短信网关，模拟器已关闭',
    offBody: '短信由真实网关收发，请用手机向短信服务号码发送短信。本页面仅在未配置短信网关时可用。',
    phone: '模拟手机',
    from: '发送方手机号码',
    fromPlaceholder: '如 13800138000',
    text: '短信内容',
    textRequired: '请输入短信内容',
    help: '短信激活格式：',
    helpFormat: 'JH 卡号 密码 姓名 身份证号',
    helpNote: '发送方手机号码即投保人手机号码，平台按卡片的默认保障计划激活。',
    send: '发送',
    reply: '平台回复',
    activated: '已激活',
    rejected: '未激活',
    messages: '平台发出的短信',
    refresh: '刷新',
    count: '最近 {{count}} 条',
    empty: '还没有发出短信',
    columns: {
      time: '时间',
      to: '接收号码',
      template: '模板',
      text: '内容',
      status: '状态',
    },
    status: {
      pending: '待发送',
      sent: '已发送',
      failed: '发送失败',
    },
  },
};

export default notifyConsole;
