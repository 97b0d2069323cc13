// Texts of the console shell (namespace "console"). Chinese.
const texts = {
  groups: {
    workbench: '工作台',
    cards: '保险卡',
    finance: '收付费',
    reports: '报表',
    admin: '系统管理',
    account: '账户设置',
  },
  header: {
    menu: '菜单',
    user: '当前用户',
  },
  forbidden: {
    title: '无权访问',
    body: '您没有访问此页面的权限。如需开通，请联系本机构管理员。',
  },
  customerAccount: {
    title: '请使用员工账号',
    body: '业务管理系统仅供员工使用。客户请前往客户服务页面。',
    portal: '前往客户服务',
  },
  sessionError: '无法读取登录信息',
};

export default texts;
