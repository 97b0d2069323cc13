// Texts shared by both apps (namespace "common"), Chinese. English: common.en.ts, same keys.
const common = {
  appName: '安心保险',
  consoleName: '安心保险 · 业务管理系统',
  language: {
    label: '语言',
    'zh-CN': '中文',
    en: 'English',
  },
  actions: {
    back: '上一步',
    next: '下一步',
    submit: '提交',
    confirm: '确认',
    cancel: '取消',
    retry: '重试',
    login: '登录',
    logout: '退出登录',
    save: '保存',
    edit: '修改',
    home: '返回首页',
    copy: '复制',
    copied: '已复制',
  },
  table: {
    actions: '操作',
    region: '列表',
    search: '查询',
    reset: '重置',
    empty: '暂无数据',
    previous: '上一页',
    next: '下一页',
    page: '第 {{page}} 页',
  },
  // The state of a record that can be disabled (an organisation, a user) and the actions on it.
  record: {
    status: '状态',
    active: '启用',
    disabled: '停用',
    enable: '启用',
    disable: '停用',
  },
  // Who did something (components/ActorName).
  actor: {
    system: '系统任务 {{job}}',
    anonymous: '未登录用户',
    other: '客户',
  },
  loading: '加载中…',
  errors: {
    network: '网络连接失败，请检查网络后重试',
    unexpected: '服务暂时不可用，请稍后再试',
    requestId: '请求编号：{{id}}',
    fieldsBelow: '请按提示修改以下信息',
    notFound: '页面不存在',
  },
  validation: {
    idNumber: {
      required: '请填写证件号码',
      invalid_format: '证件号码格式不正确',
      invalid_checksum: '证件号码校验位不正确',
      invalid_birth_date: '证件号码中的出生日期无效',
    },
    idType: {
      required: '请选择证件类型',
    },
    residentId: {
      required: '请填写身份证号码',
      invalid_format: '身份证号码应为18位：17位数字加1位数字或X',
      invalid_birth_date: '身份证号码中的出生日期无效',
      invalid_checksum: '身份证号码校验位错误，请核对',
    },
    phone: {
      required: '请填写手机号码',
      invalid_format: '手机号码应为11位，以13至19开头',
    },
    name: {
      required: '请填写姓名',
      invalid_format: '姓名包含无效字符',
      too_long: '姓名不能超过50个字符',
    },
    serial: {
      required: '请输入卡号',
      invalid_format: '卡号格式不正确：应为2-4位字母加11位数字',
      invalid_checksum: '卡号校验位不正确，请核对卡号',
    },
    password: {
      required: '请输入密码',
    },
    birthDate: {
      required: '请填写出生日期',
      invalid_date: '出生日期不正确',
      age_not_insurable: '被保险人应为 {{min}} 至 {{max}} 周岁',
      age_not_insurable_days: '被保险人应为出生满 {{min}} 天至 {{max}} 周岁',
      holder_not_adult: '投保人须年满18周岁',
    },
    sex: {
      required: '请选择性别',
    },
    share: {
      required: '请填写受益比例',
      out_of_range: '受益份额须为1-100',
      shares_not_100: '受益份额合计须为100%',
      too_many: '受益人最多10位',
    },
    login: {
      required: '请输入用户名',
    },
    newPassword: {
      required: '请输入新密码',
      mismatch: '两次输入的新密码不一致',
    },
    generic: {
      required: '请填写此项',
      invalid: '填写内容不正确',
    },
  },
  idType: {
    resident_id: '居民身份证',
    hk_macau_id: '港澳居民身份证',
    taiwan_id: '台湾居民身份证',
    hk_macau_permit: '港澳居民来往内地通行证',
    taiwan_permit: '台湾居民来往大陆通行证',
    passport: '外国护照',
    foreign_permanent_id: '外国人永久居留身份证',
  },
  sex: {
    male: '男',
    female: '女',
  },
  relationship: {
    self: '本人',
    spouse: '配偶',
    child: '子女',
    parent: '父母',
    other: '其他',
  },
  term: {
    day_one: '{{count}}天',
    day_other: '{{count}}天',
    month_one: '{{count}}个月',
    month_other: '{{count}}个月',
    year_one: '{{count}}年',
    year_other: '{{count}}年',
  },
  masked: '已脱敏显示',
  notFound: {
    title: '页面不存在',
    body: '您访问的页面不存在或已移动。',
  },
};

export default common;
