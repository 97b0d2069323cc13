// Texts of the identity feature's console pages (namespace "identityConsole"): the organisation
// tree and staff users. Chinese; English in en.ts, same keys.
const identityConsole = {
  menu: {
    orgs: '机构管理',
    users: '用户管理',
  },
  orgs: {
    intro: '本机构及下级机构组成的机构树。机构管理员可以新建下级机构、修改名称，或停用机构（停用机构的员工会被登出）。',
    tree: '机构树',
    code: '机构代码',
    name: '机构名称',
    level: '机构层级',
    levels: {
      head_office: '总公司',
      branch: '分公司',
      institution: '支公司',
      outlet: '网点',
    },
    parent: '上级机构',
    select: '在左侧机构树中选择一个机构。',
    addChild: '新建下级机构',
    created: '机构 {{code}} 已创建。',
    saved: '已保存。',
    disableConfirm: '停用后该机构的员工将被登出且不能登录。确定停用 {{name}}？',
  },
  users: {
    intro: '本机构及下级机构的员工账号：按机构、角色或姓名查找，新建账号，分配角色，停用或启用。',
    org: '机构',
    role: '角色',
    q: '用户名或姓名',
    login: '用户名',
    displayName: '姓名',
    phone: '手机号码（选填）',
    roles: '角色',
    password: '初始密码',
    passwordHint: '至少10个字符；请通过安全渠道告知本人，并提醒其登录后修改',
    create: '新建用户',
    created: '用户 {{login}} 已创建。',
    editRoles: '分配角色',
    rolesTitle: '分配 {{login}} 的角色',
    rolesSaved: '{{login}} 的角色已更新。',
    locked: '已锁定',
    disableConfirm: '停用后 {{login}} 的登录会立即失效。确定停用？',
  },
};

export default identityConsole;
