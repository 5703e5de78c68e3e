<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CustomerCardView</name>
    <message>
        <source>Select a customer to see their card.</source>
        <translation>选择一位客户，查看客户档案。</translation>
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
        <source>Database damaged</source>
        <translation>数据库已损坏</translation>
    </message>
    <message>
        <source>Stop entering data and restore the latest backup, or ask the administrator for help.</source>
        <translation>请停止录入数据，从最近的备份恢复，或联系管理员处理。</translation>
    </message>
    <message>
        <source>About</source>
        <translation>关于</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>Cannot open the database</source>
        <translation>无法打开数据库</translation>
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
