<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ActionDialog</name>
    <message>
        <source>Record a notice</source>
        <translation>登记停电通知</translation>
    </message>
    <message>
        <source>Record a promise</source>
        <translation>登记承诺缴费</translation>
    </message>
    <message>
        <source>Record a reminder</source>
        <translation>登记催费</translation>
    </message>
    <message>
        <source>Promised to pay by</source>
        <translation>承诺缴费日期</translation>
    </message>
    <message>
        <source>How</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>AgeingModel</name>
    <message>
        <source>Age</source>
        <translation>账龄</translation>
    </message>
    <message>
        <source>Arrears</source>
        <translation>笔数</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
</context>
<context>
    <name>AnnounceDialog</name>
    <message>
        <source>Announce an outage</source>
        <translation>发布停电</translation>
    </message>
    <message>
        <source>For example: 10 kV line maintenance</source>
        <translation>例如：10kV 线路检修</translation>
    </message>
    <message>
        <source>Filter areas by code, name or feeder</source>
        <translation>按台区编号、名称或线路筛选</translation>
    </message>
    <message>
        <source>Why the notice is late (team lead only)</source>
        <translation>未按时公告的原因（仅班长可填）</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>停电类型</translation>
    </message>
    <message>
        <source>Planned start</source>
        <translation>计划开始</translation>
    </message>
    <message>
        <source>Planned end</source>
        <translation>计划结束</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>停电原因</translation>
    </message>
    <message>
        <source>Whole feeders</source>
        <translation>整条线路</translation>
    </message>
    <message>
        <source>Single transformer areas</source>
        <translation>单个台区</translation>
    </message>
    <message>
        <source>Late notice reason</source>
        <translation>公告不足的原因</translation>
    </message>
    <message>
        <source>. A late notice needs the reason below.</source>
        <translation>。公告时间不足，须在下方填写原因。</translation>
    </message>
    <message>
        <source>. Only a team lead may announce it, with a reason.</source>
        <translation>。公告时间不足，只有班长可以填写原因后发布。</translation>
    </message>
</context>
<context>
    <name>AnswerLibraryDialog</name>
    <message>
        <source>Standard answers</source>
        <translation>标准答复库</translation>
    </message>
    <message>
        <source>New answer</source>
        <extracomment>The answer being edited (None: a new one) and the version it was read at.</extracomment>
        <translation>新增答复</translation>
    </message>
    <message>
        <source>Offered at the desk</source>
        <translation>在来电界面提供</translation>
    </message>
    <message>
        <source>Insert a placeholder…</source>
        <translation>插入占位符…</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>答复内容</translation>
    </message>
    <message>
        <source>Only team leads can change the standard answers.</source>
        <translation>只有班长可以修改标准答复。</translation>
    </message>
    <message>
        <source>Preview for {name}</source>
        <translation>按 {name} 预览</translation>
    </message>
    <message>
        <source>Preview (no customer in the store: every placeholder shows as a gap)</source>
        <translation>预览（库中还没有客户：所有占位符都显示为未登记）</translation>
    </message>
    <message>
        <source>(new: given on saving)</source>
        <translation>（新答复：保存时生成）</translation>
    </message>
    <message>
        <source>Version {version}, last saved by {who} at {when}</source>
        <translation>第 {version} 版，{who} 于 {when} 保存</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
</context>
<context>
    <name>AnswerListModel</name>
    <message>
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>答复</translation>
    </message>
    <message>
        <source>The records lack: {names}</source>
        <translation>记录中缺少：{names}</translation>
    </message>
</context>
<context>
    <name>ArrearsPage</name>
    <message>
        <source>Arrears</source>
        <translation>欠费</translation>
    </message>
    <message>
        <source>All categories</source>
        <extracomment>The collection dialog showing now (tests drive it).</extracomment>
        <translation>全部类别</translation>
    </message>
    <message>
        <source>Largest amount first</source>
        <translation>金额大的在前</translation>
    </message>
    <message>
        <source>Oldest first</source>
        <translation>欠费早的在前</translation>
    </message>
    <message>
        <source>Select an arrear to see its history.</source>
        <translation>选择一笔欠费查看其催收经过。</translation>
    </message>
    <message>
        <source>Reminder…</source>
        <translation>催费…</translation>
    </message>
    <message>
        <source>Promise…</source>
        <translation>承诺缴费…</translation>
    </message>
    <message>
        <source>Notice…</source>
        <translation>停电通知…</translation>
    </message>
    <message>
        <source>Payment…</source>
        <translation>已缴费…</translation>
    </message>
    <message>
        <source>Cut-off…</source>
        <translation>欠费停电…</translation>
    </message>
    <message>
        <source>Print slips…</source>
        <translation>打印催费通知单…</translation>
    </message>
    <message>
        <source>Print list…</source>
        <translation>打印欠费清单…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Export figures…</source>
        <translation>导出回收统计…</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>(no grid)</source>
        <translation>（未划入网格）</translation>
    </message>
    <message>
        <source>Collector</source>
        <translation>催收人</translation>
    </message>
    <message>
        <source>(nobody)</source>
        <translation>（未分配）</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>台区</translation>
    </message>
    <message>
        <source>Compound</source>
        <translation>小区</translation>
    </message>
    <message>
        <source>List</source>
        <translation>清单</translation>
    </message>
    <message>
        <source>Collection figures</source>
        <translation>回收统计</translation>
    </message>
    <message>
        <source>All grids</source>
        <translation>全部网格</translation>
    </message>
    <message>
        <source>All areas</source>
        <translation>全部台区</translation>
    </message>
    <message>
        <source>All compounds</source>
        <translation>全部小区</translation>
    </message>
    <message>
        <source>All collectors</source>
        <translation>全部催收人</translation>
    </message>
    <message>
        <source>{count} arrears, {amount}</source>
        <translation>共 {count} 笔，{amount}</translation>
    </message>
    <message>
        <source>The period ends before it starts.</source>
        <translation>结束日期早于开始日期。</translation>
    </message>
    <message>
        <source>Owed {owed}, recovered {recovered}, collection rate {rate}</source>
        <translation>应收 {owed}，已回收 {recovered}，回收率 {rate}</translation>
    </message>
    <message>
        <source>{month}: {amount}, late fee by the rules {fee} ({rule}); ledger late fee {ledger}</source>
        <translation>{month}：{amount}，按规定违约金 {fee}（{rule}）；台账违约金 {ledger}</translation>
    </message>
    <message>
        <source>Status: {status}; collector: {collector}</source>
        <translation>状态：{status}；催收人：{collector}</translation>
    </message>
    <message>
        <source>Also owes: {months}</source>
        <translation>另欠：{months}</translation>
    </message>
    <message>
        <source>Cut-off: {reason}</source>
        <translation>停电：{reason}</translation>
    </message>
    <message>
        <source>Paid in full. Reconnection order {number} was created (24 hours).</source>
        <translation>欠费已缴清，已生成复电工单 {number}（24小时内复电）。</translation>
    </message>
    <message>
        <source>Reconnection</source>
        <translation>复电</translation>
    </message>
    <message>
        <source>Save PDF</source>
        <translation>保存 PDF</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Printing failed</source>
        <translation>打印失败</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
</context>
<context>
    <name>ArrearsTableModel</name>
    <message>
        <source>Account</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>户名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Compound</source>
        <translation>小区</translation>
    </message>
    <message>
        <source>Building</source>
        <translation>楼栋</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>欠费月份</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>欠费金额</translation>
    </message>
    <message>
        <source>Late fee (rules)</source>
        <translation>违约金（按规定）</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Promised</source>
        <translation>承诺日期</translation>
    </message>
    <message>
        <source>Collector</source>
        <translation>催收人</translation>
    </message>
    <message>
        <source>Last action</source>
        <translation>最近催收</translation>
    </message>
    <message>
        <source>Promise overdue</source>
        <translation>承诺已逾期</translation>
    </message>
</context>
<context>
    <name>AssistantPanel</name>
    <message>
        <source>Assistant</source>
        <extracomment>The desk copied this answer (its key) for the customer on the line. A lead asked to edit the library.</extracomment>
        <translation>智能辅助</translation>
    </message>
    <message>
        <source>Edit library…</source>
        <translation>编辑答复库…</translation>
    </message>
    <message>
        <source>Edit the standard answers (team leads)</source>
        <translation>编辑标准答复（班长）</translation>
    </message>
    <message>
        <source>Find an answer (price, transfer, payment…)</source>
        <translation>查找答复（电价、过户、缴费…）</translation>
    </message>
    <message>
        <source>Copy answer</source>
        <translation>复制答复</translation>
    </message>
    <message>
        <source>Copy the text and note on the call that it was given (Ctrl+Shift+C)</source>
        <translation>复制答复内容，并在来电记录中记下已答复（Ctrl+Shift+C）</translation>
    </message>
    <message>
        <source>Choose the caller to see ready answers.</source>
        <translation>选定来电客户后，这里显示可直接答复的内容。</translation>
    </message>
    <message>
        <source>Loading answers…</source>
        <translation>正在准备答复…</translation>
    </message>
    <message>
        <source>Copied: {title}</source>
        <translation>已复制：{title}</translation>
    </message>
    <message>
        <source>Not in the records: {names}. Ask the caller or check before reading it out.</source>
        <translation>记录中缺少：{names}。请向来电人询问或核实后再答复。</translation>
    </message>
    <message>
        <source>{count} answers for this customer</source>
        <translation>该客户共 {count} 条答复</translation>
    </message>
</context>
<context>
    <name>AuditModel</name>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Object</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Object id</source>
        <translation>对象编号</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>修改前</translation>
    </message>
    <message>
        <source>After</source>
        <translation>修改后</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>Text in the values</source>
        <translation>内容包含</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Object</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>To</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>More</source>
        <translation>更多</translation>
    </message>
    <message>
        <source>Check the chain</source>
        <translation>校验哈希链</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>(all)</source>
        <translation>（全部）</translation>
    </message>
    <message>
        <source>{shown} of {total} entries shown</source>
        <translation>共 {total} 条，已显示 {shown} 条</translation>
    </message>
    <message>
        <source>The audit log is intact: every entry matches the one before.</source>
        <translation>审计日志完整：每一条都与前一条吻合。</translation>
    </message>
    <message>
        <source>Entry {id} of the audit log was altered or damaged; entries after it cannot be trusted.</source>
        <translation>审计日志第 {id} 条被篡改或损坏，其后各条无法再证明。</translation>
    </message>
    <message>
        <source>Export the audit log</source>
        <translation>导出审计日志</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>{n} entries exported to {file}</source>
        <translation>已导出 {n} 条到 {file}</translation>
    </message>
</context>
<context>
    <name>BackupsDialog</name>
    <message>
        <source>Backup and restore</source>
        <translation>备份与恢复</translation>
    </message>
    <message>
        <source>Backups are taken every day, when the program closes, and before each import and upgrade. Kept: one a day for 7 days, one a week for 4 weeks, one a month for 12 months, the last 10 of each other kind; manual backups are kept.</source>
        <translation>每天、程序关闭时、每次导入和升级前都会自动备份。保留：最近 7 天每天一份、最近 4 周每周一份、最近 12 个月每月一份，其他各类各保留最近 10 份；手动备份一律保留。</translation>
    </message>
    <message>
        <source>Back up now</source>
        <translation>立即备份</translation>
    </message>
    <message>
        <source>Restore the selected backup…</source>
        <translation>从所选备份恢复…</translation>
    </message>
    <message>
        <source>Backing up…</source>
        <translation>正在备份…</translation>
    </message>
    <message>
        <source>Backed up to {file}</source>
        <translation>已备份到 {file}</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Replace the current data with the backup {file}? The current database is backed up first. The program closes afterwards; start it again.</source>
        <translation>用备份 {file} 替换当前数据吗？当前数据库会先备份。恢复后程序将关闭，请重新启动。</translation>
    </message>
    <message>
        <source>The backup was restored. The program now closes; please start it again.</source>
        <translation>已从备份恢复。程序现在关闭，请重新启动。</translation>
    </message>
</context>
<context>
    <name>CallTableModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>In/out</source>
        <translation>呼入/呼出</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>来电人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>内容摘要</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>通话时长</translation>
    </message>
    <message>
        <source>Linked to</source>
        <translation>关联</translation>
    </message>
    <message>
        <source>Unknown caller</source>
        <translation>未知来电人</translation>
    </message>
    <message>
        <source>{name} (not linked)</source>
        <translation>{name}（未关联客户）</translation>
    </message>
    <message>
        <source>running</source>
        <translation>通话中</translation>
    </message>
    <message>
        <source>Outage</source>
        <translation>停电</translation>
    </message>
</context>
<context>
    <name>CallbackDialog</name>
    <message>
        <source>Call-back</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>来电人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>请选择…</translation>
    </message>
    <message>
        <source>{score} points</source>
        <translation>{score} 分</translation>
    </message>
    <message>
        <source>Not reached</source>
        <translation>未联系上</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Record the caller&apos;s satisfaction (1–5).</source>
        <translation>请记录来电人的满意度（1–5 分）。</translation>
    </message>
    <message>
        <source>Record every caller, or mark them not reached.</source>
        <translation>请为每位来电人记录回访结果，或标记为未联系上。</translation>
    </message>
</context>
<context>
    <name>CallsPage</name>
    <message>
        <source>Calls</source>
        <extracomment>Changes made elsewhere that alter the assistant&apos;s ready answers.</extracomment>
        <translation>来电</translation>
    </message>
    <message>
        <source>Caller&apos;s phone, account no., name or address</source>
        <extracomment>Answers copied from the assistant not yet recorded on the call.</extracomment>
        <translation>来电号码、户号、户名或地址</translation>
    </message>
    <message>
        <source>Unknown caller</source>
        <translation>未知来电人</translation>
    </message>
    <message>
        <source>Log the call without a customer; link it later from today&apos;s list</source>
        <translation>先不关联客户记录来电，之后可在今日来电中关联</translation>
    </message>
    <message>
        <source>Start clock</source>
        <translation>开始计时</translation>
    </message>
    <message>
        <source>Next call</source>
        <translation>下一个来电</translation>
    </message>
    <message>
        <source>No caller chosen</source>
        <translation>尚未选择来电人</translation>
    </message>
    <message>
        <source>(not yet known)</source>
        <translation>（尚不清楚）</translation>
    </message>
    <message>
        <source>What the caller says</source>
        <translation>来电人所述</translation>
    </message>
    <message>
        <source>Save call</source>
        <translation>保存来电</translation>
    </message>
    <message>
        <source>Work order…</source>
        <translation>生成工单…</translation>
    </message>
    <message>
        <source>Attach</source>
        <translation>关联</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>来电人</translation>
    </message>
    <message>
        <source>In/out</source>
        <translation>呼入/呼出</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>内容摘要</translation>
    </message>
    <message>
        <source>Or attach the call to</source>
        <translation>或将来电关联到</translation>
    </message>
    <message>
        <source>Link to the customer shown</source>
        <translation>关联到当前显示的客户</translation>
    </message>
    <message>
        <source>Today&apos;s calls</source>
        <translation>今日来电</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>来电</translation>
    </message>
    <message>
        <source>Unknown caller: the call is logged without a customer and can be linked later.</source>
        <translation>未知来电人：来电先不关联客户记录下来，之后可再关联。</translation>
    </message>
    <message>
        <source>Call saved.</source>
        <translation>来电已保存。</translation>
    </message>
    <message>
        <source>The customer&apos;s phone on file</source>
        <translation>档案中的客户电话</translation>
    </message>
    <message>
        <source>Work order {number} created; see 工单.</source>
        <translation>已生成工单 {number}，请到“工单”查看。</translation>
    </message>
    <message>
        <source>Call attached to work order {number}.</source>
        <translation>来电已关联到工单 {number}。</translation>
    </message>
    <message>
        <source>Call attached to the outage.</source>
        <translation>来电已关联到该停电。</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <source>Answer copied and noted on the call.</source>
        <translation>答复已复制，并已记入来电记录。</translation>
    </message>
    <message>
        <source>Nobody matches “{query}”: log the call as an unknown caller</source>
        <translation>没有与“{query}”相符的客户：按未知来电人记录</translation>
    </message>
    <message>
        <source>More than {count} match; type more</source>
        <translation>相符的超过 {count} 个，请再多输入几个字</translation>
    </message>
    <message>
        <source>{count} match(es)</source>
        <translation>{count} 个相符</translation>
    </message>
    <message>
        <source>Today&apos;s calls: {count}</source>
        <translation>今日来电：{count}</translation>
    </message>
    <message>
        <source> ({count} not linked to a customer)</source>
        <translation>（{count} 个未关联客户）</translation>
    </message>
    <message>
        <source>{number} (same fault? {why})</source>
        <translation>{number}（同一故障？{why}）</translation>
    </message>
    <message>
        <source>Outage: {text}</source>
        <translation>停电：{text}</translation>
    </message>
    <message>
        <source>(no open order or outage)</source>
        <translation>（没有在办工单或停电）</translation>
    </message>
    <message>
        <source>Another caller reported a fault here within the last hours: {orders}. Attach this call to it instead of a new order?</source>
        <translation>几小时内已有人在此报修：{orders}。是否把这次来电关联到该工单，而不新建工单？</translation>
    </message>
    <message>
        <source>Stop clock</source>
        <translation>停止计时</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>Call linked to the customer.</source>
        <translation>来电已关联到客户。</translation>
    </message>
</context>
<context>
    <name>CollectionModel</name>
    <message>
        <source>Owed</source>
        <translation>应收笔数</translation>
    </message>
    <message>
        <source>Amount owed</source>
        <translation>应收金额</translation>
    </message>
    <message>
        <source>Recovered</source>
        <translation>回收笔数</translation>
    </message>
    <message>
        <source>Amount recovered</source>
        <translation>回收金额</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>回收率</translation>
    </message>
</context>
<context>
    <name>ContactDialog</name>
    <message>
        <source>Edit contact</source>
        <extracomment>community id → its grids (id, label) community id → compound names (community id, compound name) → building names</extracomment>
        <translation>修改联系人</translation>
    </message>
    <message>
        <source>New contact</source>
        <translation>新增联系人</translation>
    </message>
    <message>
        <source>Mobile, or landline with area code</source>
        <translation>手机，或带区号的固定电话</translation>
    </message>
    <message>
        <source>e.g. 幸福小区3栋住户群</source>
        <translation>例如：幸福小区3栋住户群</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>身份</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>WeChat group</source>
        <translation>微信群</translation>
    </message>
    <message>
        <source>Community or village</source>
        <translation>社区（村）</translation>
    </message>
    <message>
        <source>Compound</source>
        <translation>小区</translation>
    </message>
    <message>
        <source>Building</source>
        <translation>楼栋</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>(the community has no grid yet)</source>
        <translation>（该社区尚无网格）</translation>
    </message>
    <message>
        <source>Enter the name (for a service centre, its name).</source>
        <translation>请输入姓名（社区服务中心填名称）。</translation>
    </message>
    <message>
        <source>Not a phone number: {reason}</source>
        <translation>电话号码不正确：{reason}</translation>
    </message>
    <message>
        <source>Give a phone or a WeChat group: one way to reach them.</source>
        <translation>电话和微信群至少填一项，才能联系到人。</translation>
    </message>
    <message>
        <source>Pick the community from the list.</source>
        <translation>请从列表中选择社区（村）。</translation>
    </message>
    <message>
        <source>A building needs its compound.</source>
        <translation>填写楼栋时须填写小区。</translation>
    </message>
</context>
<context>
    <name>ContactTableModel</name>
    <message>
        <source>(no grid)</source>
        <translation>（无网格）</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>身份</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>WeChat group</source>
        <translation>微信群</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>社区（村）</translation>
    </message>
    <message>
        <source>Compound</source>
        <translation>小区</translation>
    </message>
    <message>
        <source>Building</source>
        <translation>楼栋</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>ContactsPage</name>
    <message>
        <source>Contacts</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Name, phone, WeChat group, compound</source>
        <translation>姓名、电话、微信群、小区</translation>
    </message>
    <message>
        <source>All communities</source>
        <translation>全部社区</translation>
    </message>
    <message>
        <source>All roles</source>
        <translation>全部身份</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>新增…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>{count} contact(s)</source>
        <translation>共 {count} 个联系人</translation>
    </message>
    <message>
        <source>; {count} not linked to a grid (their community has none)</source>
        <translation>；其中 {count} 个未关联网格（所在社区尚无网格）</translation>
    </message>
    <message>
        <source>Could not load contacts: {error}</source>
        <translation>无法读取联系人：{error}</translation>
    </message>
    <message>
        <source>Delete contact</source>
        <translation>删除联系人</translation>
    </message>
    <message>
        <source>Delete {kind} {name}?</source>
        <translation>删除{kind} {name}？</translation>
    </message>
    <message>
        <source>Community contacts</source>
        <translation>社区联络人</translation>
    </message>
</context>
<context>
    <name>CoverageTableModel</name>
    <message>
        <source>Check</source>
        <translation>检查项</translation>
    </message>
    <message>
        <source>What</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Problem and how to fix it</source>
        <translation>问题及处理办法</translation>
    </message>
</context>
<context>
    <name>CrashReporter</name>
    <message>
        <source>The computer ran out of memory.</source>
        <extracomment>Exit code when the user closes the program from the crash dialog.</extracomment>
        <translation>电脑内存不足。</translation>
    </message>
    <message>
        <source>The disk is full.</source>
        <translation>磁盘已满。</translation>
    </message>
    <message>
        <source>The program was not allowed to read or write a file.</source>
        <translation>程序没有读写某个文件的权限。</translation>
    </message>
    <message>
        <source>The database could not be read or written.</source>
        <translation>数据库无法读取或写入。</translation>
    </message>
    <message>
        <source>A file or folder could not be read or written.</source>
        <translation>某个文件或文件夹无法读取或写入。</translation>
    </message>
    <message>
        <source>The program ran into a problem it did not expect.</source>
        <translation>程序遇到了一个意外的问题。</translation>
    </message>
    <message>
        <source>The program ran into an error</source>
        <extracomment>(type, value, traceback) from a non-GUI thread, queued to the GUI thread. Emitted after an error was handled (tests, and the self-test, listen).</extracomment>
        <translation>程序出错了</translation>
    </message>
    <message>
        <source>What you were typing has been kept and will be filled in again the next time the program starts.</source>
        <translation>您正在填写的内容已经保存，下次启动程序时会自动填回。</translation>
    </message>
    <message>
        <source>The details were written to the log file:
{path}
Please give this file to your administrator.</source>
        <translation>详细情况已记入日志文件：
{path}
请把这个文件交给管理员。</translation>
    </message>
    <message>
        <source>The details could not be written to a log file.</source>
        <translation>详细情况未能写入日志文件。</translation>
    </message>
    <message>
        <source>You can carry on working. If the program behaves strangely, close it and start it again.</source>
        <translation>您可以继续工作。如果程序表现异常，请关闭后重新启动。</translation>
    </message>
    <message>
        <source>Carry on</source>
        <translation>继续工作</translation>
    </message>
    <message>
        <source>Close the program</source>
        <translation>关闭程序</translation>
    </message>
</context>
<context>
    <name>CustomerAreaDialog</name>
    <message>
        <source>Transformer area of a customer</source>
        <translation>客户所属台区</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Transformer area</source>
        <translation>台区</translation>
    </message>
    <message>
        <source>Pick a transformer area from the list.</source>
        <translation>请从列表中选择台区。</translation>
    </message>
    <message>
        <source>Pick the customer&apos;s transformer area.</source>
        <translation>请选择该客户所属的台区。</translation>
    </message>
</context>
<context>
    <name>CustomerCardView</name>
    <message>
        <source>Select a customer to see their card.</source>
        <translation>选择一位客户，查看客户档案。</translation>
    </message>
    <message>
        <source>Power off now: {kind}, {reason}; expected back {end}</source>
        <translation>正在停电：{kind}，{reason}；预计 {end} 恢复</translation>
    </message>
    <message>
        <source>Account no.</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>所在位置</translation>
    </message>
    <message>
        <source>Meter no.</source>
        <translation>表号</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户信息</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Area class</source>
        <translation>区域类别</translation>
    </message>
    <message>
        <source>Grid manager</source>
        <translation>网格客户经理</translation>
    </message>
    <message>
        <source>No manager assigned</source>
        <translation>未指定网格客户经理</translation>
    </message>
    <message>
        <source>Manager&apos;s phone</source>
        <translation>经理电话</translation>
    </message>
    <message>
        <source>Not in any grid yet</source>
        <translation>尚未划入网格</translation>
    </message>
    <message>
        <source>Grid and manager</source>
        <translation>网格与客户经理</translation>
    </message>
    <message>
        <source>Transformer area</source>
        <translation>台区</translation>
    </message>
    <message>
        <source>Feeder</source>
        <translation>线路</translation>
    </message>
    <message>
        <source>Not linked to a transformer area</source>
        <translation>未关联台区</translation>
    </message>
    <message>
        <source>Transformer area and feeder</source>
        <translation>台区与线路</translation>
    </message>
    <message>
        <source>No building leader or contacts on file</source>
        <translation>无楼长或联系人</translation>
    </message>
    <message>
        <source>Building leader and contacts</source>
        <translation>楼长与联系人</translation>
    </message>
    <message>
        <source>{start} to {end}</source>
        <translation>{start} 至 {end}</translation>
    </message>
    <message>
        <source>No outage planned or in progress</source>
        <translation>无停电计划</translation>
    </message>
    <message>
        <source>Outages</source>
        <translation>停电信息</translation>
    </message>
    <message>
        <source>Due {time}</source>
        <translation>时限 {time}</translation>
    </message>
    <message>
        <source>{due} (overdue)</source>
        <translation>{due}（已超时）</translation>
    </message>
    <message>
        <source>not assigned</source>
        <translation>未派单</translation>
    </message>
    <message>
        <source>No open work orders</source>
        <translation>无未办结工单</translation>
    </message>
    <message>
        <source>Open work orders</source>
        <translation>未办结工单</translation>
    </message>
    <message>
        <source>Total {amount} over {months} month(s)</source>
        <translation>合计 {amount}（{months} 个月）</translation>
    </message>
    <message>
        <source>No arrears</source>
        <translation>无欠费</translation>
    </message>
    <message>
        <source>Arrears</source>
        <translation>欠费</translation>
    </message>
    <message>
        <source>No calls on record</source>
        <translation>无来电记录</translation>
    </message>
    <message>
        <source>Recent calls</source>
        <translation>最近来电</translation>
    </message>
</context>
<context>
    <name>CustomerTableModel</name>
    <message>
        <source>Account no.</source>
        <extracomment>(after_account_no, limit) → the next page of customers by account number. A page could not be fetched (message for the user).</extracomment>
        <translation>户号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>户名</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Transformer area</source>
        <translation>台区</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
</context>
<context>
    <name>CustomersPage</name>
    <message>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Account no., phone, name or address</source>
        <translation>输入户号、电话、姓名或地址</translation>
    </message>
    <message>
        <source>Customer search</source>
        <translation>客户搜索</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>All customers, by account number</source>
        <translation>全部客户（按户号排列）</translation>
    </message>
    <message>
        <source>No customer matches “{query}”</source>
        <translation>没有与“{query}”匹配的客户</translation>
    </message>
    <message>
        <source>Showing the first {count} matches; type more characters to narrow the search</source>
        <translation>显示前 {count} 条，请输入更多字符缩小范围</translation>
    </message>
    <message>
        <source>{count} customer(s) found</source>
        <translation>找到 {count} 位客户</translation>
    </message>
    <message>
        <source>Search failed: {error}</source>
        <translation>搜索失败：{error}</translation>
    </message>
    <message>
        <source>Could not load customers: {error}</source>
        <translation>无法读取客户：{error}</translation>
    </message>
</context>
<context>
    <name>CutoffDialog</name>
    <message>
        <source>Record a cut-off</source>
        <translation>登记欠费停电</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规定</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>DeskPage</name>
    <message>
        <source>Desk</source>
        <translation>工作台</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>在办</translation>
    </message>
    <message>
        <source>Not yet dispatched</source>
        <translation>未派单</translation>
    </message>
    <message>
        <source>Due today</source>
        <translation>今日到期</translation>
    </message>
    <message>
        <source>Near due</source>
        <translation>即将超时</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已超时</translation>
    </message>
    <message>
        <source>Awaiting call-back</source>
        <translation>待回访</translation>
    </message>
    <message>
        <source>Taken today</source>
        <translation>今日受理</translation>
    </message>
    <message>
        <source>Calls today</source>
        <translation>今日来电</translation>
    </message>
    <message>
        <source>On time this week</source>
        <translation>本周按时率</translation>
    </message>
    <message>
        <source>On time this month</source>
        <translation>本月按时率</translation>
    </message>
    <message>
        <source>Arrears owed</source>
        <translation>欠费余额</translation>
    </message>
    <message>
        <source>Arrears collected this month</source>
        <translation>本月回收电费</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>(no grid)</source>
        <translation>（无网格）</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>(not dispatched)</source>
        <translation>（未派单）</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>By grid</source>
        <translation>按网格</translation>
    </message>
    <message>
        <source>By person</source>
        <translation>按人员</translation>
    </message>
    <message>
        <source>Most overdue</source>
        <translation>超时最久</translation>
    </message>
    <message>
        <source>Today at the station</source>
        <translation>今日所内情况</translation>
    </message>
    <message>
        <source>Updating…</source>
        <translation>正在更新…</translation>
    </message>
    <message>
        <source>{count} not linked</source>
        <translation>{count} 个未关联</translation>
    </message>
    <message>
        <source>{count} incoming</source>
        <translation>{count} 个呼入</translation>
    </message>
    <message>
        <source>Updated at {time}</source>
        <translation>更新于 {time}</translation>
    </message>
    <message>
        <source>nothing resolved yet</source>
        <translation>尚无办结</translation>
    </message>
    <message>
        <source>{on_time} of {total}</source>
        <translation>{total} 件中 {on_time} 件按时</translation>
    </message>
    <message>
        <source>{amount} over 90 days</source>
        <translation>其中超过90天 {amount}</translation>
    </message>
    <message>
        <source>collection rate {rate}</source>
        <translation>回收率 {rate}</translation>
    </message>
    <message>
        <source>Could not update: {error}</source>
        <translation>无法更新：{error}</translation>
    </message>
</context>
<context>
    <name>DispatchDialog</name>
    <message>
        <source>  (open {count})</source>
        <translation>  （在办 {count} 张）</translation>
    </message>
    <message>
        <source>  on leave</source>
        <translation>  休假中</translation>
    </message>
    <message>
        <source>Reassign</source>
        <translation>改派</translation>
    </message>
    <message>
        <source>Dispatch</source>
        <translation>派单</translation>
    </message>
    <message>
        <source>Why (kept in the history)</source>
        <translation>原因（记入处理记录）</translation>
    </message>
    <message>
        <source>Optional</source>
        <translation>可不填</translation>
    </message>
    <message>
        <source>Now with</source>
        <translation>当前处理人</translation>
    </message>
    <message>
        <source>Routed to</source>
        <translation>系统建议</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>处理人</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Choose who takes the order.</source>
        <translation>请选择由谁处理这张工单。</translation>
    </message>
    <message>
        <source>The order is already with this person.</source>
        <translation>这张工单已经在此人手上。</translation>
    </message>
</context>
<context>
    <name>DraftKeeper</name>
    <message>
        <source>Restored what you were typing in “{form}” before the program stopped unexpectedly ({time}).</source>
        <extracomment>Drafts whose form never came back are dropped after this many days. A note for the user after a form was refilled from a draft.</extracomment>
        <translation>已填回程序上次意外停止前您在“{form}”中填写的内容（{time}）。</translation>
    </message>
</context>
<context>
    <name>EditOrderDialog</name>
    <message>
        <source>Edit the order</source>
        <translation>修改工单</translation>
    </message>
    <message>
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>来电人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>95598 no.</source>
        <translation>95598 工单号</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>诉求内容</translation>
    </message>
    <message>
        <source>Say what the customer asks for.</source>
        <translation>请填写客户的诉求。</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export to Excel</source>
        <translation>导出到 Excel</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Full phone numbers</source>
        <translation>导出完整电话号码</translation>
    </message>
    <message>
        <source>Exported {rows} rows to {path}</source>
        <translation>已导出 {rows} 行到 {path}</translation>
    </message>
    <message>
        <source>Export failed: {error}</source>
        <translation>导出失败：{error}</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
</context>
<context>
    <name>GridDialog</name>
    <message>
        <source>Edit grid</source>
        <translation>修改网格</translation>
    </message>
    <message>
        <source>New grid</source>
        <translation>新建网格</translation>
    </message>
    <message>
        <source>e.g. WG021</source>
        <translation>例如：WG021</translation>
    </message>
    <message>
        <source>e.g. 文庙社区网格</source>
        <translation>例如：文庙社区网格</translation>
    </message>
    <message>
        <source>(no community)</source>
        <translation>（未设社区）</translation>
    </message>
    <message>
        <source>(no manager yet)</source>
        <translation>（暂无经理）</translation>
    </message>
    <message>
        <source>{name} (inactive)</source>
        <translation>{name}（已停用）</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>网格编号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>网格名称</translation>
    </message>
    <message>
        <source>Community or village</source>
        <translation>所在社区（村）</translation>
    </message>
    <message>
        <source>Area class</source>
        <translation>区域类别</translation>
    </message>
    <message>
        <source>Service mode</source>
        <translation>服务模式</translation>
    </message>
    <message>
        <source>Grid customer manager</source>
        <translation>网格客户经理</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>The area class sets the repair arrival limit (urban 45, rural 90, remote 120 minutes).</source>
        <translation>区域类别决定抢修到达时限（城区 45 分钟、农村 90 分钟、边远 120 分钟）。</translation>
    </message>
    <message>
        <source>Enter the grid&apos;s code.</source>
        <translation>请输入网格编号。</translation>
    </message>
    <message>
        <source>Another grid has this code.</source>
        <translation>已有网格使用这个编号。</translation>
    </message>
    <message>
        <source>Enter the grid&apos;s name.</source>
        <translation>请输入网格名称。</translation>
    </message>
    <message>
        <source>Another grid has this name.</source>
        <translation>已有网格使用这个名称。</translation>
    </message>
    <message>
        <source>Pick a community from the list.</source>
        <translation>请从列表中选择社区（村）。</translation>
    </message>
    <message>
        <source>Pick a person from the roster.</source>
        <translation>请从花名册中选择人员。</translation>
    </message>
</context>
<context>
    <name>GridFiguresPanel</name>
    <message>
        <source>Select a town, community, grid or transformer area.</source>
        <extracomment>grid id transformer area ids to move</extracomment>
        <translation>请在左侧选择乡镇、社区、网格或台区。</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>正在统计…</translation>
    </message>
    <message>
        <source>Town or street · {cls}</source>
        <translation>乡镇/街道 · {cls}</translation>
    </message>
    <message>
        <source>Community or village · {cls}</source>
        <translation>社区/村 · {cls}</translation>
    </message>
    <message>
        <source>Transformer area</source>
        <translation>台区</translation>
    </message>
    <message>
        <source>Transformer areas that no grid answers for</source>
        <translation>这些台区没有网格负责</translation>
    </message>
    <message>
        <source>Who answers for it</source>
        <translation>负责人员</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>客户经理</translation>
    </message>
    <message>
        <source>No manager assigned</source>
        <translation>尚未指定客户经理</translation>
    </message>
    <message>
        <source>{name} (inactive)</source>
        <translation>{name}（已停用）</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>团队成员</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Feeder</source>
        <translation>所属线路</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>待核实</translation>
    </message>
    <message>
        <source>Capacity</source>
        <translation>变压器容量</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>所属网格</translation>
    </message>
    <message>
        <source>In no grid</source>
        <translation>不属于任何网格</translation>
    </message>
    <message>
        <source>Customers by category</source>
        <translation>客户（按用电类别）</translation>
    </message>
    <message>
        <source>All</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Customers by metering</source>
        <translation>客户（按计量方式）</translation>
    </message>
    <message>
        <source>Network and people</source>
        <translation>台区与人员</translation>
    </message>
    <message>
        <source>Transformer areas</source>
        <translation>台区</translation>
    </message>
    <message>
        <source>Feeders</source>
        <translation>线路</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>Community contacts</source>
        <translation>社区联络人</translation>
    </message>
    <message>
        <source>Work and arrears</source>
        <translation>工单与欠费</translation>
    </message>
    <message>
        <source>Open work orders</source>
        <translation>未办结工单</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>其中超期</translation>
    </message>
    <message>
        <source>{count} customer(s), {amount}</source>
        <translation>{count} 户，{amount}</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Arrears</source>
        <translation>欠费</translation>
    </message>
    <message>
        <source>Edit grid…</source>
        <translation>修改网格…</translation>
    </message>
    <message>
        <source>People…</source>
        <translation>人员分工…</translation>
    </message>
    <message>
        <source>Move to another grid…</source>
        <translation>划转到其他网格…</translation>
    </message>
    <message>
        <source>Put them in a grid…</source>
        <translation>划入网格…</translation>
    </message>
</context>
<context>
    <name>GridTreeModel</name>
    <message>
        <source>Transformer areas in no grid</source>
        <translation>未划入网格的台区</translation>
    </message>
    <message>
        <source>Grids on no community</source>
        <translation>未设社区的网格</translation>
    </message>
    <message>
        <source>Town / community / grid / transformer area</source>
        <translation>乡镇 / 社区 / 网格 / 台区</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>客户经理</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Areas</source>
        <translation>台区</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>Open orders</source>
        <translation>未办结工单</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>超期</translation>
    </message>
    <message>
        <source>Arrears</source>
        <translation>欠费</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>{name} (inactive)</source>
        <translation>{name}（已停用）</translation>
    </message>
</context>
<context>
    <name>GridsPage</name>
    <message>
        <source>Grids</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>New grid…</source>
        <extracomment>Replaced in tests: (parent, suggested file name, may unmask) → (path, full phones).</extracomment>
        <translation>新建网格…</translation>
    </message>
    <message>
        <source>Edit grid…</source>
        <translation>修改网格…</translation>
    </message>
    <message>
        <source>People…</source>
        <translation>人员分工…</translation>
    </message>
    <message>
        <source>Move areas…</source>
        <translation>划转台区…</translation>
    </message>
    <message>
        <source>Move a feeder…</source>
        <translation>按线路划转…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Find a grid, community or transformer area</source>
        <translation>查找网格、社区或台区</translation>
    </message>
    <message>
        <source>Open to fix</source>
        <translation>打开处理</translation>
    </message>
    <message>
        <source> customers</source>
        <translation> 户</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Double-click a line (or press Enter) to open what needs fixing.</source>
        <translation>双击某一行（或按回车）打开需要处理的对象。</translation>
    </message>
    <message>
        <source>Customers per grid person, at most</source>
        <translation>每人服务客户数上限</translation>
    </message>
    <message>
        <source>Grids and figures</source>
        <translation>网格与统计</translation>
    </message>
    <message>
        <source>Coverage check</source>
        <translation>覆盖检查</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>正在统计…</translation>
    </message>
    <message>
        <source>{grids} grids, {areas} transformer areas, {customers} customers; counted in {ms} ms at {time}</source>
        <translation>{grids} 个网格，{areas} 个台区，{customers} 户客户；统计用时 {ms} 毫秒（{time}）</translation>
    </message>
    <message>
        <source>All problems ({count})</source>
        <translation>全部问题（{count}）</translation>
    </message>
    <message>
        <source>Coverage check ({count})</source>
        <translation>覆盖检查（{count}）</translation>
    </message>
    <message>
        <source>Could not count: {error}</source>
        <translation>统计失败：{error}</translation>
    </message>
    <message>
        <source>People of {grid}</source>
        <translation>{grid}的人员分工</translation>
    </message>
    <message>
        <source>Transformer areas moved</source>
        <translation>台区已划转</translation>
    </message>
    <message>
        <source>Work order to reassign</source>
        <translation>待改派的工单</translation>
    </message>
    <message>
        <source>Town</source>
        <translation>乡镇(街道)</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>社区(村)</translation>
    </message>
    <message>
        <source>Grid code</source>
        <translation>网格编号</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Area class</source>
        <translation>区域类别</translation>
    </message>
    <message>
        <source>Service mode</source>
        <translation>服务模式</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>网格客户经理</translation>
    </message>
    <message>
        <source>Manager&apos;s mobile</source>
        <translation>经理手机</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>客户数</translation>
    </message>
    <message>
        <source>Transformer areas</source>
        <translation>台区数</translation>
    </message>
    <message>
        <source>Feeders</source>
        <translation>线路数</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>人员数</translation>
    </message>
    <message>
        <source>Community contacts</source>
        <translation>联络人数</translation>
    </message>
    <message>
        <source>Open work orders</source>
        <translation>未办结工单</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>超期工单</translation>
    </message>
    <message>
        <source>Customers in arrears</source>
        <translation>欠费户数</translation>
    </message>
    <message>
        <source>Arrears (yuan)</source>
        <translation>欠费金额(元)</translation>
    </message>
    <message>
        <source>Grid figures</source>
        <translation>网格统计</translation>
    </message>
    <message>
        <source>In no grid</source>
        <translation>（不属于任何网格）</translation>
    </message>
    <message>
        <source>Whole station</source>
        <translation>全所合计</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>检查项</translation>
    </message>
    <message>
        <source>Kind of record</source>
        <translation>对象类别</translation>
    </message>
    <message>
        <source>Record id</source>
        <translation>对象编号</translation>
    </message>
    <message>
        <source>What</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Problem and how to fix it</source>
        <translation>问题及处理办法</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>环节</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Taken</source>
        <translation>受理</translation>
    </message>
    <message>
        <source>Reassigned</source>
        <translation>改派</translation>
    </message>
    <message>
        <source>Merged</source>
        <translation>合并</translation>
    </message>
    <message>
        <source>Call-back</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Edited</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>ImportHistoryModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Ledger</source>
        <translation>台账</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>By</source>
        <translation>导入人</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>Unchanged</source>
        <translation>未变</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Undone</source>
        <translation>撤销时间</translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <source>Row</source>
        <extracomment>Errors whose message is written for the admin (Chinese, naming file, row, column). Lines each report table shows (a 500,000-row ledger may change every row).</extracomment>
        <translation>行</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Old value</source>
        <translation>原值</translation>
    </message>
    <message>
        <source>New value</source>
        <translation>新值</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Import a ledger</source>
        <extracomment>After a successful apply: the batch id.</extracomment>
        <translation>导入台账</translation>
    </message>
    <message>
        <source>&lt; Back</source>
        <translation>&lt; 上一步</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Choose a ledger file (.xlsx, .xls or .csv), or drop it here. The program recognises the kind of ledger, the sheet and the header row by itself; you can correct them on the next page. Kinds: {kinds}.</source>
        <translation>选择台账文件（.xlsx、.xls 或 .csv），也可以把文件拖到这里。程序会自动识别台账类型、工作表和表头行，下一步可以修改。台账类型：{kinds}。</translation>
    </message>
    <message>
        <source>Path of the ledger file</source>
        <translation>台账文件的路径</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Recognise the kind</source>
        <translation>自动识别</translation>
    </message>
    <message>
        <source>find it</source>
        <translation>自动识别</translation>
    </message>
    <message>
        <source>Ledger kind</source>
        <translation>台账类型</translation>
    </message>
    <message>
        <source>Header row</source>
        <translation>表头行</translation>
    </message>
    <message>
        <source>Order for a new county: staff roster → transformer areas → grid layout → customers → community contacts → arrears → 95598 orders. A backup is taken before anything is written, and the last import can be undone.</source>
        <translation>新县区的导入顺序：人员花名册 → 台区档案 → 网格划分 → 客户档案 → 楼长联络表 → 欠费明细 → 95598工单。写入前会先备份数据库，最近一次导入可以撤销。</translation>
    </message>
    <message>
        <source>Sheet</source>
        <translation>工作表</translation>
    </message>
    <message>
        <source>Columns: the header in the file → read as</source>
        <translation>列：文件中的表头 → 读作</translation>
    </message>
    <message>
        <source>Read again with these settings</source>
        <translation>按此设置重新读取</translation>
    </message>
    <message>
        <source>Columns and side effects</source>
        <translation>列与附带变化</translation>
    </message>
    <message>
        <source>Refused rows:</source>
        <translation>被拒绝的行：</translation>
    </message>
    <message>
        <source>Skip the refused rows, import the rest</source>
        <translation>跳过被拒绝的行，导入其余的行</translation>
    </message>
    <message>
        <source>Import nothing</source>
        <translation>全部不导入</translation>
    </message>
    <message>
        <source>Save the refused rows…</source>
        <translation>保存被拒绝的行…</translation>
    </message>
    <message>
        <source>An Excel workbook with the refused rows and the reason for each; fix it and import it again.</source>
        <translation>把被拒绝的行及原因存为 Excel 工作簿；改好后可再次导入。</translation>
    </message>
    <message>
        <source>1 File</source>
        <translation>1 选择文件</translation>
    </message>
    <message>
        <source>2 Recognised layout</source>
        <translation>2 识别结果</translation>
    </message>
    <message>
        <source>3 Dry run</source>
        <translation>3 试导入</translation>
    </message>
    <message>
        <source>4 Done</source>
        <translation>4 完成</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Read the file &gt;</source>
        <translation>读取文件 &gt;</translation>
    </message>
    <message>
        <source>Dry run &gt;</source>
        <translation>试导入 &gt;</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Cancelled. Nothing was changed.</source>
        <translation>已取消，数据未作任何改动。</translation>
    </message>
    <message>
        <source>Choose a ledger file</source>
        <translation>选择台账文件</translation>
    </message>
    <message>
        <source>Ledgers ({patterns})</source>
        <translation>台账 ({patterns})</translation>
    </message>
    <message>
        <source>There is no file {file}.</source>
        <translation>没有文件 {file}。</translation>
    </message>
    <message>
        <source>Reading and checking…</source>
        <translation>正在读取和检查…</translation>
    </message>
    <message>
        <source>{file}: recognised as {kind}, sheet “{sheet}”, header in row {row}, {rows} data rows. Correct anything wrong below.</source>
        <translation>{file}：识别为{kind}，工作表“{sheet}”，表头在第 {row} 行，数据 {rows} 行。如有不对，请在下面修改。</translation>
    </message>
    <message>
        <source>(not imported)</source>
        <translation>（不导入）</translation>
    </message>
    <message>
        <source>Not in the file (left as they are): {columns}</source>
        <translation>文件中没有的列（保持不变）：{columns}</translation>
    </message>
    <message>
        <source>{file} ({kind}, sheet “{sheet}”, header in row {row}, {rows} data rows). Nothing has been written yet.</source>
        <translation>{file}（{kind}，工作表“{sheet}”，表头在第 {row} 行，数据 {rows} 行）。尚未写入任何数据。</translation>
    </message>
    <message>
        <source>New: {n}</source>
        <translation>新增 {n}</translation>
    </message>
    <message>
        <source>Changed: {n}</source>
        <translation>修改 {n}</translation>
    </message>
    <message>
        <source>Unchanged: {n}</source>
        <translation>未变 {n}</translation>
    </message>
    <message>
        <source>Refused: {n}</source>
        <translation>拒绝 {n}</translation>
    </message>
    <message>
        <source>Changed ({n})</source>
        <translation>修改（{n}）</translation>
    </message>
    <message>
        <source>Refused ({n})</source>
        <translation>拒绝（{n}）</translation>
    </message>
    <message>
        <source>Warnings ({n})</source>
        <translation>提醒（{n}）</translation>
    </message>
    <message>
        <source>New ({n})</source>
        <translation>新增（{n}）</translation>
    </message>
    <message>
        <source>Columns read: {columns}</source>
        <translation>读取的列：{columns}</translation>
    </message>
    <message>
        <source>Not used: {columns}</source>
        <translation>未使用的列：{columns}</translation>
    </message>
    <message>
        <source>Each tab shows at most {n} lines; save the refused rows to see them all.</source>
        <translation>每页最多显示 {n} 行；被拒绝的行可全部保存到工作簿查看。</translation>
    </message>
    <message>
        <source>The New tab lists the first {n} new rows.</source>
        <translation>“新增”页只列出前 {n} 行。</translation>
    </message>
    <message>
        <source>Save the refused rows</source>
        <translation>保存被拒绝的行</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>{n} refused rows saved to {file}. Fix them there and import that file.</source>
        <translation>{n} 行被拒绝的行已保存到 {file}。请在其中修改后导入该文件。</translation>
    </message>
    <message>
        <source>Writing the refused rows…</source>
        <translation>正在写出被拒绝的行…</translation>
    </message>
    <message>
        <source>{file} was imported ({kind}): {new} new, {changed} changed, {unchanged} unchanged.</source>
        <translation>已导入 {file}（{kind}）：新增 {new}，修改 {changed}，未变 {unchanged}。</translation>
    </message>
    <message>
        <source>{n} refused rows were skipped.</source>
        <translation>已跳过 {n} 行被拒绝的行。</translation>
    </message>
    <message>
        <source>A backup was taken first. The ledger page can undo this import.</source>
        <translation>导入前已备份数据库。可在“台账”页撤销这次导入。</translation>
    </message>
    <message>
        <source>Nothing was imported; the database is unchanged.</source>
        <translation>未导入任何数据，数据库没有改动。</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
</context>
<context>
    <name>LeaveDialog</name>
    <message>
        <source>Leave of {name}</source>
        <translation>{name}的请假</translation>
    </message>
    <message>
        <source>Withdraw</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>(no substitute)</source>
        <translation>（无代班人）</translation>
    </message>
    <message>
        <source>On record (current and coming):</source>
        <translation>已登记（当前及以后）：</translation>
    </message>
    <message>
        <source>From</source>
        <translation>开始日期</translation>
    </message>
    <message>
        <source>To</source>
        <translation>结束日期</translation>
    </message>
    <message>
        <source>Substitute</source>
        <translation>代班人</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>事由</translation>
    </message>
    <message>
        <source>New leave</source>
        <translation>新增请假</translation>
    </message>
    <message>
        <source>no substitute</source>
        <translation>无人</translation>
    </message>
    <message>
        <source>{start} to {end}, {who} stands in</source>
        <translation>{start} 至 {end}，{who}代班</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>The leave cannot end before it starts.</source>
        <translation>结束日期不能早于开始日期。</translation>
    </message>
    <message>
        <source>There is leave on record from {start} to {end}.</source>
        <translation>{start} 至 {end} 已有请假记录。</translation>
    </message>
    <message>
        <source>Pick the substitute from the roster.</source>
        <translation>请从花名册中选择代班人。</translation>
    </message>
</context>
<context>
    <name>LedgerExportDialog</name>
    <message>
        <source>Download a blank template</source>
        <translation>下载空白模板</translation>
    </message>
    <message>
        <source>Export a ledger</source>
        <translation>导出台账</translation>
    </message>
    <message>
        <source>A blank ledger in the layout the importer reads, with an instructions sheet (说明) first. Fill it in and import it.</source>
        <translation>与导入格式相同的空白台账，第一个工作表是填写说明。填好后即可导入。</translation>
    </message>
    <message>
        <source>The whole ledger, in the layout the importer reads: exported and imported again, it changes nothing.</source>
        <translation>导出整本台账，格式与导入相同：导出后原样再导入，不会改动任何数据。</translation>
    </message>
    <message>
        <source>Ledger</source>
        <translation>台账</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Mask phone and ID numbers (for files sent outside)</source>
        <translation>电话、证件号打码（对外发送时用）</translation>
    </message>
    <message>
        <source>Your role sees masked numbers, so the file is masked too.</source>
        <translation>您的角色只能看到打码的号码，导出的文件也打码。</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>The folder {folder} does not exist.</source>
        <translation>文件夹 {folder} 不存在。</translation>
    </message>
    <message>
        <source>Writing…</source>
        <translation>正在写出…</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>{n} rows exported to {file}</source>
        <translation>已导出 {n} 行到 {file}</translation>
    </message>
    <message>
        <source> (phone and ID numbers masked)</source>
        <translation>（电话、证件号已打码）</translation>
    </message>
    <message>
        <source>Template saved to {file}</source>
        <translation>模板已保存到 {file}</translation>
    </message>
    <message>
        <source>Cancelled; no file was written.</source>
        <translation>已取消，没有写出文件。</translation>
    </message>
</context>
<context>
    <name>LedgersPage</name>
    <message>
        <source>Ledgers</source>
        <extracomment>Team leads export; only admins (Permission.import_ledgers) import and undo.</extracomment>
        <translation>台账</translation>
    </message>
    <message>
        <source>Import a ledger…</source>
        <translation>导入台账…</translation>
    </message>
    <message>
        <source>Export a ledger…</source>
        <translation>导出台账…</translation>
    </message>
    <message>
        <source>Download a blank template…</source>
        <translation>下载空白模板…</translation>
    </message>
    <message>
        <source>Undo the last import</source>
        <translation>撤销最近一次导入</translation>
    </message>
    <message>
        <source>Import history, newest first. Each import is checked in a dry run before anything is written, a backup is taken first, and the last import can be undone exactly. You can also drop a ledger file on this page.</source>
        <translation>导入记录，最新的在前。每次导入都先试导入核对，写入前先备份，最近一次导入可以原样撤销。也可以把台账文件拖到本页导入。</translation>
    </message>
    <message>
        <source>Import history, newest first.</source>
        <translation>导入记录，最新的在前。</translation>
    </message>
    <message>
        <source>Undo the import of {file} ({kind}, {when}, by {who}): {new} new rows are deleted and {changed} changed rows get their old values back. Continue?</source>
        <translation>撤销导入 {file}（{kind}，{when}，{who} 导入）：删除新增的 {new} 行，修改过的 {changed} 行恢复原值。是否继续？</translation>
    </message>
    <message>
        <source>Undoing the last import…</source>
        <translation>正在撤销最近一次导入…</translation>
    </message>
    <message>
        <source>Cancelled. Nothing was changed.</source>
        <translation>已取消，数据未作任何改动。</translation>
    </message>
    <message>
        <source>The import of {file} was undone ({n} records restored).</source>
        <translation>已撤销导入 {file}（恢复 {n} 条记录）。</translation>
    </message>
</context>
<context>
    <name>LibraryModel</name>
    <message>
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>{title} (retired)</source>
        <translation>{title}（已停用）</translation>
    </message>
</context>
<context>
    <name>LoadModel</name>
    <message>
        <source>Open</source>
        <translation>在办</translation>
    </message>
    <message>
        <source>Due today</source>
        <translation>今日到期</translation>
    </message>
    <message>
        <source>Near due</source>
        <translation>即将超时</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已超时</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Set the administrator password</source>
        <translation>设置管理员密码</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>First start: choose the password of the administrator account “admin” (at least {n} characters). Keep it safe: it manages users and backups.</source>
        <translation>首次启动：请为管理员账户“admin”设置密码（至少 {n} 个字符）。请妥善保管：该账户负责管理用户和备份。</translation>
    </message>
    <message>
        <source>Sign in with your user name and password.</source>
        <translation>请输入用户名和密码登录。</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Repeat password</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>{station} — Grid Power Supply Service</source>
        <translation>{station} — 网格化供电服务</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Switch user…</source>
        <translation>切换用户(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Users…</source>
        <translation>用户管理(&amp;U)…</translation>
    </message>
    <message>
        <source>&amp;Backup and restore…</source>
        <translation>备份与恢复(&amp;B)…</translation>
    </message>
    <message>
        <source>Show full phone and ID numbers</source>
        <translation>显示完整电话和证件号</translation>
    </message>
    <message>
        <source>E&amp;xit</source>
        <translation>退出(&amp;X)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <source>Data folder: {path}</source>
        <translation>数据文件夹：{path}</translation>
    </message>
    <message>
        <source>Grid Power Supply Service, version {version}</source>
        <translation>网格化供电服务&#x3000;版本 {version}</translation>
    </message>
    <message>
        <source>Station: {station}</source>
        <translation>供电所：{station}</translation>
    </message>
    <message>
        <source>Database file: {path}</source>
        <translation>数据库文件：{path}</translation>
    </message>
    <message>
        <source>Log file: {path}</source>
        <translation>日志文件：{path}</translation>
    </message>
    <message>
        <source>The data is on a database server.</source>
        <translation>数据保存在数据库服务器上。</translation>
    </message>
    <message>
        <source>Portable installation: the data is kept beside the program (a file named “portable” is in the program folder).</source>
        <translation>便携安装：数据保存在程序旁边（程序文件夹里有一个名为“portable”的文件）。</translation>
    </message>
    <message>
        <source>The data is kept in the data folder of the user signed in to this computer.</source>
        <translation>数据保存在本机当前登录用户的数据文件夹中。</translation>
    </message>
    <message>
        <source>The data folder was chosen at start-up (--data-dir or GRIDSVC_DATA_DIR).</source>
        <translation>数据文件夹由启动参数指定（--data-dir 或 GRIDSVC_DATA_DIR）。</translation>
    </message>
    <message>
        <source>Database damaged</source>
        <translation>数据库已损坏</translation>
    </message>
    <message>
        <source>Stop entering data and restore the latest backup, or ask the administrator for help.</source>
        <translation>请停止录入数据，从最近的备份恢复，或联系管理员处理。</translation>
    </message>
    <message>
        <source>Not allowed</source>
        <translation>无权操作</translation>
    </message>
    <message>
        <source>About</source>
        <translation>关于</translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <source>Merge a duplicate into this order</source>
        <translation>把重复工单合并到本工单</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>重复工单</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>The duplicate becomes “merged”; its calls stay with it and its callers are called back with this order&apos;s.</source>
        <translation>重复工单将标为“已合并”；它的来电记录保留不动，其来电人随本工单一起回访。</translation>
    </message>
    <message>
        <source>No duplicate to merge.</source>
        <translation>没有可合并的重复工单。</translation>
    </message>
</context>
<context>
    <name>MoveDialog</name>
    <message>
        <source>Move a feeder&apos;s transformer areas</source>
        <translation>按线路划转台区</translation>
    </message>
    <message>
        <source>Move transformer areas</source>
        <translation>划转台区</translation>
    </message>
    <message>
        <source>Feeder</source>
        <translation>线路</translation>
    </message>
    <message>
        <source> and {count} more</source>
        <translation> 等，另有 {count} 个</translation>
    </message>
    <message>
        <source>Transformer areas</source>
        <translation>台区</translation>
    </message>
    <message>
        <source>(in no grid)</source>
        <translation>（不属于任何网格）</translation>
    </message>
    <message>
        <source>Into grid</source>
        <translation>划入网格</translation>
    </message>
    <message>
        <source>Pick a feeder from the list.</source>
        <translation>请从列表中选择线路。</translation>
    </message>
    <message>
        <source>Pick the grid to move them into.</source>
        <translation>请选择要划入的网格。</translation>
    </message>
    <message>
        <source>Pick a grid from the list.</source>
        <translation>请从列表中选择网格。</translation>
    </message>
    <message>
        <source>Working out what would change…</source>
        <translation>正在计算影响…</translation>
    </message>
    <message>
        <source>{moved} transformer area(s) will move; {customers} customer(s) follow them.</source>
        <translation>将划转 {moved} 个台区，{customers} 户客户随台区转入。</translation>
    </message>
    <message>
        <source>{count} are in this grid already.</source>
        <translation>其中 {count} 个原已在该网格。</translation>
    </message>
    <message>
        <source>{count} open work order(s) stay on their old grid until the lead reassigns them.</source>
        <translation>{count} 张未办结工单仍留在原网格，需班长改派。</translation>
    </message>
</context>
<context>
    <name>NewOrderDialog</name>
    <message>
        <source>New work order</source>
        <translation>新建工单</translation>
    </message>
    <message>
        <source>Only for orders passed on by 95598</source>
        <translation>仅 95598 转来的工单填写</translation>
    </message>
    <message>
        <source>Dispatch at once to the person shown</source>
        <translation>立即派给下面显示的人员</translation>
    </message>
    <message>
        <source>Working out where it goes…</source>
        <translation>正在确定派往何处…</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Sub-type</source>
        <translation>子类</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>受理渠道</translation>
    </message>
    <message>
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>来电人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>95598 no.</source>
        <translation>95598 工单号</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>诉求内容</translation>
    </message>
    <message>
        <source>Goes to</source>
        <translation>派往</translation>
    </message>
    <message>
        <source>Time limits</source>
        <translation>时限</translation>
    </message>
    <message>
        <source>Say what the customer asks for.</source>
        <translation>请填写客户的诉求。</translation>
    </message>
    <message>
        <source>contact by {time}</source>
        <translation>{time} 前联系客户</translation>
    </message>
    <message>
        <source>on site by {time}</source>
        <translation>{time} 前到达现场</translation>
    </message>
    <message>
        <source>resolved by {time}</source>
        <translation>{time} 前办结</translation>
    </message>
    <message>
        <source>Possibly the same fault as {orders}: consider attaching the call to it instead.</source>
        <translation>可能与 {orders} 是同一故障：可考虑把来电关联到该工单。</translation>
    </message>
</context>
<context>
    <name>NotificationTableModel</name>
    <message>
        <source>Message</source>
        <translation>通知类别</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Told</source>
        <translation>通知情况</translation>
    </message>
    <message>
        <source>Restoration</source>
        <translation>送电</translation>
    </message>
    <message>
        <source>Cancellation</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>停电</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>待通知</translation>
    </message>
</context>
<context>
    <name>OrderClock</name>
    <message>
        <source>{days}d {hours}h</source>
        <translation>{days}天{hours}小时</translation>
    </message>
    <message>
        <source>{hours}h {minutes}m</source>
        <translation>{hours}小时{minutes}分</translation>
    </message>
    <message>
        <source>{minutes}m</source>
        <translation>{minutes}分钟</translation>
    </message>
    <message>
        <source>{time} overdue</source>
        <translation>超时 {time}</translation>
    </message>
    <message>
        <source>{time} left</source>
        <translation>剩 {time}</translation>
    </message>
    <message>
        <source>Arrival: {clock}</source>
        <translation>到场：{clock}</translation>
    </message>
    <message>
        <source>Contact: {clock}</source>
        <translation>联系：{clock}</translation>
    </message>
</context>
<context>
    <name>OrderDetailPanel</name>
    <message>
        <source>Select a work order to see its details and history.</source>
        <extracomment>The order changed through this panel.</extracomment>
        <translation>选择一张工单，查看详情和处理记录。</translation>
    </message>
    <message>
        <source>{clock} (due {time})</source>
        <translation>{clock}（{time} 到期）</translation>
    </message>
    <message>
        <source>Possibly the same fault: {orders}</source>
        <translation>可能是同一故障：{orders}</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>来电人</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>诉求内容</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>(no grid)</source>
        <translation>（无网格）</translation>
    </message>
    <message>
        <source>Transformer area</source>
        <translation>台区</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>处理人</translation>
    </message>
    <message>
        <source>(not yet)</source>
        <translation>（尚未）</translation>
    </message>
    <message>
        <source>95598 no.</source>
        <translation>95598 工单号</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>受理时间</translation>
    </message>
    <message>
        <source>Contact by</source>
        <translation>联系时限</translation>
    </message>
    <message>
        <source>On site by</source>
        <translation>到场时限</translation>
    </message>
    <message>
        <source>Resolve by</source>
        <translation>办结时限</translation>
    </message>
    <message>
        <source>Contacted</source>
        <translation>已联系</translation>
    </message>
    <message>
        <source>Dispatched</source>
        <translation>派单时间</translation>
    </message>
    <message>
        <source>On site</source>
        <translation>到场时间</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>办结时间</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <source>Called back</source>
        <translation>回访时间</translation>
    </message>
    <message>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <source>{score} points</source>
        <translation>{score} 分</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>归档时间</translation>
    </message>
    <message>
        <source>Cancel reason</source>
        <translation>撤销原因</translation>
    </message>
    <message>
        <source>Merged into</source>
        <translation>已合并到</translation>
    </message>
    <message>
        <source>Taken by</source>
        <translation>受理人</translation>
    </message>
    <message>
        <source>Merged duplicates</source>
        <translation>已合并的重复工单</translation>
    </message>
    <message>
        <source>To call back</source>
        <translation>待回访</translation>
    </message>
    <message>
        <source>Calls</source>
        <translation>来电</translation>
    </message>
    <message>
        <source>History</source>
        <translation>处理记录</translation>
    </message>
    <message>
        <source>Dispatch…</source>
        <translation>派单…</translation>
    </message>
    <message>
        <source>Start work</source>
        <translation>开始处理</translation>
    </message>
    <message>
        <source>Resolve…</source>
        <translation>办结…</translation>
    </message>
    <message>
        <source>Call back…</source>
        <translation>回访…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>归档</translation>
    </message>
    <message>
        <source>Contacted…</source>
        <translation>已联系客户…</translation>
    </message>
    <message>
        <source>Reassign…</source>
        <translation>改派…</translation>
    </message>
    <message>
        <source>Merge duplicate…</source>
        <translation>合并重复工单…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <source>Note…</source>
        <translation>备注…</translation>
    </message>
    <message>
        <source>Cancel order…</source>
        <translation>撤销工单…</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
</context>
<context>
    <name>OrderTableModel</name>
    <message>
        <source>Due {time}</source>
        <extracomment>cursor of the last row → the next page. Columns SQL can sort by, and how. Hidden until the user picks them (header menu). A page could not be fetched (message for the user). The user clicked a sortable header: re-query in this order.</extracomment>
        <translation>{time} 到期</translation>
    </message>
    <message>
        <source>This column cannot be sorted</source>
        <translation>此列不能排序</translation>
    </message>
    <message>
        <source>Order no.</source>
        <translation>工单号</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <source>Customer / caller</source>
        <translation>客户/来电人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>诉求内容</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>处理人</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>受理渠道</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>受理时间</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>到期时间</translation>
    </message>
    <message>
        <source>Account no.</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>95598 no.</source>
        <translation>95598 工单号</translation>
    </message>
    <message>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
</context>
<context>
    <name>OrdersPage</name>
    <message>
        <source>Work orders</source>
        <extracomment>Status filter entries beyond the single statuses.</extracomment>
        <translation>工单</translation>
    </message>
    <message>
        <source>Order no., 95598 no., phone, account no., name or address</source>
        <translation>工单号、95598 工单号、电话、户号、户名或地址</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Open (not yet resolved)</source>
        <translation>在办（未办结）</translation>
    </message>
    <message>
        <source>Resolved, awaiting call-back</source>
        <translation>已办结，待回访</translation>
    </message>
    <message>
        <source>All types</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <source>All channels</source>
        <translation>全部渠道</translation>
    </message>
    <message>
        <source>All grids</source>
        <translation>全部网格</translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation>全部人员</translation>
    </message>
    <message>
        <source>Overdue only</source>
        <translation>只看超时</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>受理时间</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>显示列</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the selected rows as tab-separated text</source>
        <translation>把选中的行复制为制表符分隔的文本</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>Exporting work orders…</source>
        <translation>正在导出工单…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>{count} work order(s) exported to {path}</source>
        <translation>已导出 {count} 张工单到 {path}</translation>
    </message>
    <message>
        <source>(no grid)</source>
        <translation>（无网格）</translation>
    </message>
    <message>
        <source>(not assigned)</source>
        <translation>（未派单）</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Could not load work orders: {error}</source>
        <translation>无法载入工单：{error}</translation>
    </message>
    <message>
        <source>{shown} shown, counting…</source>
        <translation>已显示 {shown} 张，正在统计…</translation>
    </message>
    <message>
        <source>No work order matches</source>
        <translation>没有符合条件的工单</translation>
    </message>
    <message>
        <source>{count} work order(s)</source>
        <translation>{count} 张工单</translation>
    </message>
    <message>
        <source>; {count} overdue among those shown</source>
        <translation>；显示的工单中 {count} 张已超时</translation>
    </message>
    <message>
        <source>Could not load more work orders: {error}</source>
        <translation>无法载入更多工单：{error}</translation>
    </message>
    <message>
        <source>{count} row(s) copied</source>
        <translation>已复制 {count} 行</translation>
    </message>
</context>
<context>
    <name>OutageTableModel</name>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Planned start</source>
        <translation>计划开始</translation>
    </message>
    <message>
        <source>Planned end</source>
        <translation>计划结束</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>范围</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Not yet told</source>
        <translation>待通知</translation>
    </message>
</context>
<context>
    <name>OutagesPage</name>
    <message>
        <source>Outages</source>
        <translation>停电</translation>
    </message>
    <message>
        <source>Still to come or going on</source>
        <translation>未结束（已发布、停电中）</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <source>Announce…</source>
        <translation>发布停电…</translation>
    </message>
    <message>
        <source>Templates…</source>
        <translation>通知模板…</translation>
    </message>
    <message>
        <source>Record fault outage</source>
        <translation>登记故障停电</translation>
    </message>
    <message>
        <source>Power off</source>
        <translation>开始停电</translation>
    </message>
    <message>
        <source>Power restored</source>
        <translation>已送电</translation>
    </message>
    <message>
        <source>Cancel outage…</source>
        <translation>取消停电…</translation>
    </message>
    <message>
        <source>Notice PDF…</source>
        <translation>停电通知 PDF…</translation>
    </message>
    <message>
        <source>Important customers</source>
        <translation>重要客户</translation>
    </message>
    <message>
        <source>Grids and managers</source>
        <translation>网格及网格经理</translation>
    </message>
    <message>
        <source>Compounds and villages</source>
        <translation>小区 / 村</translation>
    </message>
    <message>
        <source>Prepare messages</source>
        <translation>生成通知</translation>
    </message>
    <message>
        <source>Prepare restoration messages</source>
        <translation>生成送电通知</translation>
    </message>
    <message>
        <source>Copy message</source>
        <translation>复制通知内容</translation>
    </message>
    <message>
        <source>Mark as told</source>
        <translation>标记为已通知</translation>
    </message>
    <message>
        <source>Export contacts…</source>
        <translation>导出联系人…</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>Affected</source>
        <translation>影响范围</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>通知清单</translation>
    </message>
    <message>
        <source>Choose an outage on the left.</source>
        <translation>请在左侧选择一次停电。</translation>
    </message>
    <message>
        <source>{count} repair reports from {where} since {time} and no outage recorded: record a fault outage?</source>
        <translation>{where}自 {time} 起已有 {count} 起报修，尚未登记停电：是否登记故障停电？</translation>
    </message>
    <message>
        <source>{count} outage(s)</source>
        <translation>共 {count} 次停电</translation>
    </message>
    <message>
        <source>Could not load outages: {error}</source>
        <translation>无法读取停电列表：{error}</translation>
    </message>
    <message>
        <source>Planned: {start} to {end}</source>
        <translation>计划：{start} 至 {end}</translation>
    </message>
    <message>
        <source>Scope: {scope}</source>
        <translation>范围：{scope}</translation>
    </message>
    <message>
        <source>Announced {time} by {who}</source>
        <translation>{time} 由 {who} 发布</translation>
    </message>
    <message>
        <source>not yet</source>
        <translation>尚未恢复</translation>
    </message>
    <message>
        <source>Actual: {start} to {end}</source>
        <translation>实际：{start} 至 {end}</translation>
    </message>
    <message>
        <source>Cancelled: {reason}</source>
        <translation>已取消：{reason}</translation>
    </message>
    <message>
        <source>Linked calls {calls}, work orders {orders}</source>
        <translation>相关来电 {calls} 个，相关工单 {orders} 张</translation>
    </message>
    <message>
        <source>; reason: {reason}</source>
        <translation>；说明：{reason}</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>no manager</source>
        <translation>未指定网格经理</translation>
    </message>
    <message>
        <source>{told} told, {pending} still to tell</source>
        <translation>已通知 {told} 人，待通知 {pending} 人</translation>
    </message>
    <message>
        <source>No messages prepared yet: press “Prepare messages”.</source>
        <translation>尚未生成通知：请点击“生成通知”。</translation>
    </message>
    <message>
        <source>Cancel the outage</source>
        <translation>取消停电</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>取消原因</translation>
    </message>
    <message>
        <source>Save the notice</source>
        <translation>保存停电通知</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Notice saved: {path}</source>
        <translation>停电通知已保存：{path}</translation>
    </message>
    <message>
        <source>{count} message(s) added</source>
        <translation>新增通知 {count} 条</translation>
    </message>
    <message>
        <source>Message copied: paste it into WeChat or SMS.</source>
        <translation>通知内容已复制，可粘贴到微信或短信。</translation>
    </message>
    <message>
        <source>{count} contact(s) exported to {path}</source>
        <translation>已导出 {count} 位联系人到 {path}</translation>
    </message>
</context>
<context>
    <name>PassphraseDialog</name>
    <message>
        <source>Encrypted database</source>
        <translation>数据库已加密</translation>
    </message>
    <message>
        <source>The administrator set this password when encrypting the database. Without it neither the database nor its backups can be read.</source>
        <translation>这个密码是管理员加密数据库时设定的。没有它，数据库和备份都无法读取。</translation>
    </message>
    <message>
        <source>Database password</source>
        <translation>数据库密码</translation>
    </message>
</context>
<context>
    <name>PaymentDialog</name>
    <message>
        <source>Record a payment</source>
        <translation>登记缴费</translation>
    </message>
    <message>
        <source>Paid on</source>
        <translation>缴费日期</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>PlacementsDialog</name>
    <message>
        <source>Add or change</source>
        <translation>添加或修改</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移出</translation>
    </message>
    <message>
        <source>People in this grid and their role:</source>
        <translation>本网格人员及角色：</translation>
    </message>
    <message>
        <source>Grids this person covers, and the role:</source>
        <translation>此人负责的网格及角色：</translation>
    </message>
    <message>
        <source> (inactive)</source>
        <translation>（已停用）</translation>
    </message>
</context>
<context>
    <name>ReportParamsForm</name>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>This week</source>
        <translation>本周</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <source>Last month</source>
        <translation>上月</translation>
    </message>
    <message>
        <source>Custom range</source>
        <translation>自定义时段</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>List every order</source>
        <translation>逐张列出工单</translation>
    </message>
    <message>
        <source>Mask phone and ID numbers</source>
        <translation>电话和证件号打码</translation>
    </message>
    <message>
        <source>Period:</source>
        <translation>时段：</translation>
    </message>
    <message>
        <source>Grid:</source>
        <translation>网格：</translation>
    </message>
    <message>
        <source>Person:</source>
        <translation>人员：</translation>
    </message>
    <message>
        <source>Outage:</source>
        <translation>停电：</translation>
    </message>
    <message>
        <source>Compound:</source>
        <translation>小区：</translation>
    </message>
    <message>
        <source>All grids</source>
        <translation>全部网格</translation>
    </message>
    <message>
        <source>Notices for posting never show customers&apos; numbers.</source>
        <translation>张贴的通知从不显示客户的电话号码。</translation>
    </message>
    <message>
        <source>Your role may not see full numbers.</source>
        <translation>您的角色不能查看完整号码。</translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation>全部人员</translation>
    </message>
    <message>
        <source>Every compound affected</source>
        <translation>所有受影响的小区</translation>
    </message>
    <message>
        <source>Choose a report.</source>
        <translation>请选择报表。</translation>
    </message>
    <message>
        <source>Choose a grid.</source>
        <translation>请选择网格。</translation>
    </message>
    <message>
        <source>Choose an outage.</source>
        <translation>请选择停电事件。</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>&amp;Build preview</source>
        <translation>生成预览(&amp;B)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>打印(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Save PDF…</source>
        <translation>保存 PDF(&amp;S)…</translation>
    </message>
    <message>
        <source>Your role may not print reports.</source>
        <translation>您的角色不能打印报表。</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>No report built yet.</source>
        <translation>尚未生成报表。</translation>
    </message>
    <message>
        <source>Fit width</source>
        <translation>适合宽度</translation>
    </message>
    <message>
        <source>Zoom:</source>
        <translation>缩放：</translation>
    </message>
    <message>
        <source>Building “{title}”…</source>
        <translation>正在生成“{title}”…</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>numbers masked</source>
        <translation>号码已打码</translation>
    </message>
    <message>
        <source>full numbers</source>
        <translation>完整号码</translation>
    </message>
    <message>
        <source>{pages} page(s) built in {seconds:.1f} s.</source>
        <translation>已生成 {pages} 页，用时 {seconds:.1f} 秒。</translation>
    </message>
    <message>
        <source>Saved to {path}</source>
        <translation>已保存到 {path}</translation>
    </message>
    <message>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <source>Sent {count} page(s) to the printer.</source>
        <translation>已把 {count} 页送往打印机。</translation>
    </message>
    <message>
        <source>Printing cancelled.</source>
        <translation>打印已取消。</translation>
    </message>
    <message>
        <source>Printing failed</source>
        <translation>打印失败</translation>
    </message>
    <message>
        <source>Save PDF</source>
        <translation>保存 PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Print {title}</source>
        <translation>打印{title}</translation>
    </message>
    <message>
        <source>Page {page} of {total}</source>
        <translation>第 {page} 页，共 {total} 页</translation>
    </message>
</context>
<context>
    <name>RosterPage</name>
    <message>
        <source>Roster</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>Employee no., name, phone, team or grid</source>
        <translation>工号、姓名、电话、班组或网格</translation>
    </message>
    <message>
        <source>All teams</source>
        <translation>全部班组</translation>
    </message>
    <message>
        <source>All specialties</source>
        <translation>全部专业</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>在岗</translation>
    </message>
    <message>
        <source>On leave today</source>
        <translation>今日请假</translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation>全部人员</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>新增…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <source>Leave…</source>
        <translation>请假…</translation>
    </message>
    <message>
        <source>Grids…</source>
        <translation>网格分工…</translation>
    </message>
    <message>
        <source>Deactivate</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Could not load the roster: {error}</source>
        <translation>无法读取花名册：{error}</translation>
    </message>
    <message>
        <source>Showing {shown} of {total}: {active} active, {inactive} inactive, {away} on leave today</source>
        <translation>显示 {shown} 人（共 {total} 人：在岗 {active}，停用 {inactive}，今日请假 {away}）</translation>
    </message>
    <message>
        <source>Reactivate</source>
        <translation>恢复在岗</translation>
    </message>
    <message>
        <source>Grids of {name}</source>
        <translation>{name}的网格分工</translation>
    </message>
    <message>
        <source>Cannot deactivate</source>
        <translation>不能停用</translation>
    </message>
    <message>
        <source>This person still holds {count} open work order(s). Reassign them first (on the work orders page), then deactivate.</source>
        <translation>此人还有 {count} 张未办结工单。请先（在工单页）改派，再停用。</translation>
    </message>
</context>
<context>
    <name>RosterTableModel</name>
    <message>
        <source>Inactive</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>On leave until {date}, {name} stands in</source>
        <translation>请假至 {date}，{name}代班</translation>
    </message>
    <message>
        <source>On leave until {date}</source>
        <translation>请假至 {date}（无代班）</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>在岗</translation>
    </message>
    <message>
        <source>Employee no.</source>
        <translation>工号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Mobile</source>
        <translation>手机</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>岗位</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>班组</translation>
    </message>
    <message>
        <source>Specialties</source>
        <translation>专业</translation>
    </message>
    <message>
        <source>Based in</source>
        <translation>驻地</translation>
    </message>
    <message>
        <source>Grids</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>ServiceDialog</name>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>StaffDialog</name>
    <message>
        <source>Edit person</source>
        <extracomment>Positions (岗位) offered; any other text may be typed.</extracomment>
        <translation>修改人员</translation>
    </message>
    <message>
        <source>New person</source>
        <translation>新增人员</translation>
    </message>
    <message>
        <source>Mobile, or landline with area code</source>
        <translation>手机，或带区号的固定电话</translation>
    </message>
    <message>
        <source>(not known)</source>
        <translation>（未知）</translation>
    </message>
    <message>
        <source>Employee no.</source>
        <translation>工号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Mobile</source>
        <translation>手机</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>岗位</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>班组</translation>
    </message>
    <message>
        <source>Based in</source>
        <translation>驻地</translation>
    </message>
    <message>
        <source>Specialties</source>
        <translation>专业</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Where a person is based decides which grids they can reach in time (see the coverage check).</source>
        <translation>驻地决定能否按时赶到所负责的网格（见覆盖检查）。</translation>
    </message>
    <message>
        <source>Enter the employee number.</source>
        <translation>请输入工号。</translation>
    </message>
    <message>
        <source>Someone on the roster has this number.</source>
        <translation>花名册中已有这个工号。</translation>
    </message>
    <message>
        <source>Enter the name.</source>
        <translation>请输入姓名。</translation>
    </message>
    <message>
        <source>Not a phone number: {reason}</source>
        <translation>电话号码不正确：{reason}</translation>
    </message>
    <message>
        <source>Pick a town or community from the list.</source>
        <translation>请从列表中选择乡镇或社区。</translation>
    </message>
    <message>
        <source>Tick at least one specialty.</source>
        <translation>请至少勾选一个专业。</translation>
    </message>
</context>
<context>
    <name>TemplateDialog</name>
    <message>
        <source>Message templates</source>
        <translation>通知模板</translation>
    </message>
    <message>
        <source>Placeholders: {names}</source>
        <translation>可用占位符：{names}</translation>
    </message>
    <message>
        <source>Preview (the chosen outage)</source>
        <translation>预览（所选停电）</translation>
    </message>
    <message>
        <source>Preview (sample data)</source>
        <translation>预览（示例数据）</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
</context>
<context>
    <name>TextStepDialog</name>
    <message>
        <source>Resolve</source>
        <translation>办结</translation>
    </message>
    <message>
        <source>Cancel the order</source>
        <translation>撤销工单</translation>
    </message>
    <message>
        <source>Add a note</source>
        <translation>添加备注</translation>
    </message>
    <message>
        <source>Customer contacted</source>
        <translation>已联系客户</translation>
    </message>
    <message>
        <source>What was done</source>
        <translation>处理情况</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>What was said</source>
        <translation>沟通内容</translation>
    </message>
    <message>
        <source>A cancelled order cannot be reopened.</source>
        <translation>工单撤销后不能恢复。</translation>
    </message>
    <message>
        <source>Say what was done.</source>
        <translation>请填写处理情况。</translation>
    </message>
    <message>
        <source>A reason is required.</source>
        <translation>请填写原因。</translation>
    </message>
    <message>
        <source>Write the note.</source>
        <translation>请填写备注内容。</translation>
    </message>
</context>
<context>
    <name>UsersDialog</name>
    <message>
        <source>Users</source>
        <translation>用户管理</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Add user</source>
        <translation>新建用户</translation>
    </message>
    <message>
        <source>Save role and name</source>
        <translation>保存角色和姓名</translation>
    </message>
    <message>
        <source>Set password</source>
        <translation>设置密码</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source> (locked)</source>
        <translation>（已锁定）</translation>
    </message>
    <message>
        <source> (disabled)</source>
        <translation>（已停用）</translation>
    </message>
    <message>
        <source>Locked until {time}</source>
        <translation>锁定至 {time}</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Password set.</source>
        <translation>密码已设置。</translation>
    </message>
</context>
<context>
    <name>WorkBar</name>
    <message>
        <source>Cancel</source>
        <extracomment>True when work starts, False once its callback has run.</extracomment>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
</context>
<context>
    <name>_Sheet</name>
    <message>
        <source>Page {page}…</source>
        <translation>第 {page} 页…</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>Cannot open the database</source>
        <translation>无法打开数据库</translation>
    </message>
    <message>
        <source>Restore the newest good backup ({file})? The damaged file is kept beside it, renamed, and is never overwritten.</source>
        <translation>是否恢复最新的完好备份（{file}）？损坏的文件会改名后保留在原处，绝不会被覆盖。</translation>
    </message>
</context>
<context>
    <name>background</name>
    <message>
        <source>An unexpected error occurred: {error}

Details are in the log file.</source>
        <extracomment>At least this many worker threads: a long integrity check or demo build must not hold up a search typed meanwhile (SQLite WAL readers run side by side). Errors whose message is written for the user; anything else is our bug. (done, total, message), on the GUI thread, throttled. After the success or failure callback (also when cancelled).</extracomment>
        <translation>发生意外错误：{error}

详细信息已写入日志文件。</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
</context>
<context>
    <name>startup</name>
    <message>
        <source>Building the demo county ({count} customers)…</source>
        <translation>正在生成演示县数据（{count} 户客户）…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Demo data</source>
        <translation>演示数据</translation>
    </message>
    <message>
        <source>Demo county built: {summary}</source>
        <translation>演示县数据已生成：{summary}</translation>
    </message>
    <message>
        <source>The demo data generator is not part of this build.</source>
        <translation>此版本不含演示数据生成器。</translation>
    </message>
</context>
</TS>
