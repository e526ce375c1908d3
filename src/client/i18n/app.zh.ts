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
  exportPass: {
    title: '为导出文件设置密码', hint: '至少 8 个字符。请把密码另行告诉办公室（电话或当面），不要和文件一起发送。',
    pass: '文件密码', again: '再次输入密码', tooShort: '密码至少 8 个字符', differ: '两次输入的密码不一致', go: '加密并导出', working: '正在加密…',
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
  errorBoundary: {
    title: '此页面出错，无法显示。', chunk: '应用已更新，本页所需的文件已不可用。重新加载即可使用新版本。',
    kept: '本机已保存的住户和草稿不会因此丢失。', reloading: '正在重新加载…', reload: '重新加载',
  },
  install: {
    android: '安装到手机', iosHint: '在 Safari 中点“分享”→“添加到主屏幕”，安装后数据更安全。',
    dismiss: '知道了',
  },
  unsaved: { leave: '有未保存的输入（住户的草稿保留在本机），确定离开？' },
  placeholder: { household: '住户表单正在开发中。' },
  dataLoss: {
    otherDevice: '本机没有任何数据，但您的另一台设备 {{device}}（最后联系：{{lastSeen}}）上还有 {{count}} 条记录未上传，可能从未到达服务器。请先联系指导员，再重新登记这些住户。',
  },
  // Sync state in the badge and banners, and the sync screen's own texts (the sync engineer's groups).
  syncStatus: {
    serverBusy: '服务器繁忙，{{time}} 再试', serverBusySoon: '服务器繁忙，稍后再试',
    localReset: '本机的本地数据已被重置。它发出的全部 {{count}} 条记录都已在服务器上，任务已重新下载，没有丢失数据。',
    dataLossGap: '数据可能丢失：本机的记录已编号到第 {{localSeq}} 条，服务器只收到第 {{serverSeq}} 条为止，中间有记录既不在服务器上，也不在本机待同步队列里。请导出未同步数据，并立即告知指导员。',
  },
  syncScreen: {
    busy: '服务器繁忙，{{time}} 自动再试。数据都在本机，不会丢失。',
    failure: {
      network: '连不上服务器（没有网络）。联网后会自动重试。',
      http: '服务器出错（{{status}}），稍后自动重试。',
      httpRefused: '服务器不接受这次同步（{{status}}）：{{code}}。',
      invalid_response: '服务器的答复无法识别，稍后自动重试。',
      storageFull: '手机存储空间已满，同步结果无法写入。请清理空间。',
      tooLarge: '有一条记录超过服务器的大小限制，无法上传。请导出未同步数据并告知指导员。',
      internal: '同步时出现内部错误，稍后再试。',
    },
    reason: {
      network: '网络不通', http: '服务器出错（{{status}}）', invalid_response: '服务器答复无法识别',
      storageFull: '存储空间已满', tooLarge: '记录超过大小限制', internal: '内部错误',
    },
    code: {
      bad_request: '请求有误', validation_failed: '数据未通过服务器检查', unauthorized: '登录已失效',
      forbidden: '无权提交（不在您的普查小区）', not_found: '服务器上没有', payload_too_large: '数据太大',
      rate_limited: '提交太频繁', client_too_old: '应用版本过旧，请更新', internal: '服务器内部错误', unavailable: '服务器暂时不可用',
    },
    household: '户 {{no}} · {{name}}', unknown: '{{entity}} {{id}}', conflict: '冲突，待指导员处理',
    log: {
      start: '应用启动', startUser: '应用启动，已登录：{{user}}', signedIn: '已登录：{{user}}',
      handover: '换了普查员：上一位普查员的数据已全部同步，已从本机移除',
      signedOutUser: '已退出登录', signedOutRefused: '服务器要求重新登录，数据仍在本机',
      push: '上传 {{sent}} 条：新收 {{applied}}，已有 {{duplicate}}，冲突 {{conflict}}，被拒绝 {{rejected}}',
      conflict: '冲突：{{what}}（两份都已保存，待指导员处理）', rejected: '被拒绝：{{what}}（{{reason}}）',
      batchHalved: '一次上传太多，改为每次 {{size}} 条', pull: '下载更新 {{applied}} 条',
      pullDropped: '登录已变更，丢弃了一页下载', pullInvalid: '{{count}} 条下载内容格式有误，未采用',
      retry: '{{reason}}，{{delay}} 秒后重试', serverBusy: '服务器繁忙，{{time}} 再试', error: '{{reason}}，等下次同步',
      success: '同步完成：确认上传 {{acknowledged}} 条，下载 {{pulled}} 条',
      dataLossSame: '数据丢失警报：服务器只有到第 {{serverSeq}} 条，本机编号到第 {{localSeq}} 条，{{missing}} 条两边都没有',
      dataLossOther: '数据丢失警报：设备 {{device}} 还有 {{pending}} 条未上传',
      localReset: '本机数据已重置；它发出的 {{serverSeq}} 条记录都在服务器上',
      offline: '离线', import: '导入未同步数据',
    },
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
  daily: {
    searchLabel: '搜索：地址、户主、户编号或身份证号', searchHint: '户编号输数字，身份证号输后6位以上，楼栋输“栋2”',
    idTooShort: '身份证号请至少输入后 6 位；户编号是 1–3 位数字。', draft: '草稿', today: '今天',
    callbacksToday: '今日回访 {{count}}', callbacksTitle: '今日回访', callbacksCount: '今日回访 {{count}} 户',
    noCallbacks: '今天没有约定回访的住户。', homeCallbacks: '今日回访 {{count}} 户',
    callbackHint: '选填。与“无人在家”“拒绝登记”或“未登记”一并保存。',
    askCallback: '还没有约定回访时间。请填写约好的时间，或跳过。',
    saveWithCallback: '保存：无人在家，按此时间回访', skipCallback: '跳过，不约定回访',
  },
  review: {
    head: '户主 {{name}}', openHousehold: '打开住户', notOnPhone: '本机没有这户的记录，请先同步。',
    unanswered: '{{count}} 条待回复', homeLink: '复查问题：{{count}} 条待回复',
  },
  warned: {
    warnings: '{{count}} 条提示', open: '查看住户', person: '第 {{n}} 人 {{name}}', persons: '住户成员',
    household: '户 {{no}} · {{name}}', query: '就此户发起复查',
  },
};
export default appZh;
export type AppStrings = typeof appZh;
