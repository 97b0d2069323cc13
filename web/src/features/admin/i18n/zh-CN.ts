// Texts of the console's administration pages (namespace "admin"): the audit log and the trial
// balance. Chinese; English in en.ts, same keys.
const admin = {
  menu: {
    audit: '审计日志',
    trialBalance: '试算平衡表',
  },
  audit: {
    intro: '平台记录的每一次写操作：谁、何时、对什么对象做了什么、结果如何。个人信息在摘要中已掩码。',
    from: '开始日期',
    to: '结束日期',
    actorLogin: '操作人用户名',
    actorLoginPlaceholder: '员工的登录用户名，如 doc.bj01',
    actor: '操作人 ID',
    actorColumn: '操作人',
    object: '对象',
    action: '操作',
    actionPlaceholder: '如 card.sell',
    objectType: '对象类型',
    objectId: '对象 ID',
    seq: '序号',
    at: '时间',
    result: '结果',
    summary: '摘要',
    requestId: '请求编号',
    address: '客户端地址',
  },
  trialBalance: {
    intro: '总账各科目的借方、贷方发生额合计。借贷相等时试算平衡。仅限总公司查看。',
    account: '科目',
    code: '科目代码',
    debit: '借方',
    credit: '贷方',
    total: '合计',
    balanced: '试算平衡：借方合计等于贷方合计。',
    unbalanced: '试算不平衡：借方合计与贷方合计不相等，请立即检查记账分录。',
  },
};

export default admin;
