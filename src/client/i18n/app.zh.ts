// Simplified Chinese strings of the app shell and screens (namespace `app`, the default).
// app.en.ts must have exactly the same keys (the type there enforces it).
const appZh = {
  appName: '普查',
  language: { label: '语言', switchTo: 'English' },
  common: {
    back: '返回', cancel: '取消', save: '保存', close: '关闭', confirm: '确定', retry: '重试',
    loading: '加载中…', none: '无', search: '搜索', all: '全部', yes: '是', no: '否',
    notSaved: '未保存：设备存储空间已满，请导出数据后清理空间。',
    error: '出错了：{{message}}',
  },
  nav: { home: '首页', sync: '同步', queries: '复查问题', supervisor: '督导', signOut: '退出登录' },
  login: {
    title: '登录', username: '用户名', password: '密码', submit: '登录', busy: '正在登录…',
    offline: '当前离线。首次登录需要网络。',
    failed: '用户名或密码错误。', rateLimited: '尝试次数过多，请稍后再试。',
    networkError: '无法连接服务器，请检查网络。',
    otherUserQueued: '这部手机上还有上一位普查员未同步的数据。请先让其同步或导出未同步数据，再用新账号登录。',
    persisted: '已启用持久存储：浏览器不会自动清除本机数据。',
    notPersisted: '浏览器未授予持久存储。请将本应用“添加到主屏幕”后再登录，以免数据被清除。',
    persistUnknown: '此浏览器不支持持久存储请求。',
  },
  signOut: {
    title: '退出登录',
    refused: '还有 {{count}} 项未同步的数据，不能退出。请先同步，或导出未同步的数据。',
    exportFirst: '导出未同步数据', exported: '已导出，可以退出。',
    confirm: '确定退出？再次登录需要联网。', doIt: '退出',
  },
  sync: {
    title: '同步', badgeQueued: '待同步 {{count}}', badgeSynced: '已同步',
    offline: '离线', syncing: '同步中…', error: '同步出错', idle: '在线',
    lastSync: '上次同步：{{when}}', never: '从未同步', nextAttempt: '下次尝试：{{when}}',
    queue: '待同步队列', queueEmpty: '队列为空，所有数据已上传。', log: '同步日志', logEmpty: '暂无记录',
    syncNow: '立即同步', export: '导出未同步数据', exportDone: '已保存文件 {{name}}',
    storage: '存储', usage: '已用 {{used}} / 配额 {{quota}}', persisted: '持久存储：已启用',
    notPersisted: '持久存储：未启用', attempts: '尝试 {{count}} 次', rejected: '被拒绝，需要处理',
    signInAgain: '登录已过期，请重新登录（数据仍保留在本机）。',
    entity: { household: '住户登记', listing: '摸底记录', queryAnswer: '复查回复' },
  },
  home: {
    title: '我的普查小区', empty: '尚未分配普查小区。请联网同步。',
    progress: '已登记 {{done}} / {{total}}', open: '打开',
  },
  district: {
    searchLabel: '按地址、户主姓名或户编号搜索', filterLabel: '按走访结果筛选',
    count: '共 {{count}} 户', noMatch: '没有符合条件的住户。',
    addMissed: '补登遗漏户', outcome: '走访结果', setOutcome: '标记结果',
    callback: '约定回访 {{when}}', callbackAt: '约定回访时间', longForm: '长表', selfEnum: '自主填报', origin: '补登',
    household: '户 {{no}}', register: '登记',
  },
  missed: {
    title: '补登遗漏户', buildingNo: '建筑物编号', unitNo: '住房单元编号（可选）',
    householdNo: '户编号', address: '地址', headName: '户主姓名', householdType: '户别',
    add: '添加', invalid: '请检查：{{fields}}', duplicateNo: '户编号已存在。',
  },
  queries: {
    title: '复查问题', empty: '没有复查问题。', answer: '回复', answerText: '回复内容',
    outcome: '复查结果', send: '提交回复', status: { open: '待回复', answered: '已回复', resolved: '已解决' },
    household: '户 {{no}}', answered: '已回复（待同步）',
  },
  update: {
    replaced: '本应用已在另一个标签页更新，请重新加载本页。', available: '新版本可用。', reload: '更新', later: '稍后',
    blocked: '新版本可用。请先保存当前表单，再更新。',
  },
  install: {
    android: '安装到手机', iosHint: '在 Safari 中点“分享”→“添加到主屏幕”，安装后数据更安全。',
    dismiss: '知道了',
  },
  unsaved: { leave: '有未保存的修改，离开将丢失。确定离开？' },
  placeholder: { household: '住户表单正在开发中。' },
  dataLoss: {
    otherDevice: '本机没有任何数据，但您的另一台设备 {{device}}（最后联系：{{lastSeen}}）上还有 {{count}} 条记录未上传，可能从未到达服务器。请先联系指导员，再重新登记这些住户。',
    text: '本机数据曾丢失：服务器已收到本设备第 {{serverSeq}} 条记录，而本机只记到第 {{localSeq}} 条。已从服务器重新下载任务，请核对最近登记的住户，并告知指导员。',
  },
  supervisor: {
    title: '督导面板', enumerators: '普查员', districts: '普查小区', atRisk: '需要关注',
    lastSeen: '最近联系', lastPush: '最近上传', pending: '手机待同步', rejected: '被拒绝',
    conflicts: '冲突', appVersion: '版本', never: '从未', listing: '底册户数',
    persons: '已登记人数', withWarnings: '有未确认提示的住户', openQueries: '未解决问题',
    newQuery: '新建复查问题', householdId: '住户', message: '问题描述', send: '发送',
    sent: '已发送。', answered: '已回复的问题', resolve: '标记已解决', noAnswered: '没有待处理的回复。',
    download: '下载 CSV', refresh: '刷新', loadFailed: '加载失败：{{message}}',
    riskStale: '超过一天未联系', riskQueued: '积压较多', chart: '走访进度',
  },
};
export default appZh;
export type AppStrings = typeof appZh;
