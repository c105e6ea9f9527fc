import {
  CARRIER_NAMES,
  type DetailPage,
  type Express,
  type Payment,
  type PaymentSpecInfo,
  type Product,
  type SubOrderItem,
  type SubsOrder,
} from './model';
import { markup, safeHttpUrl, SafeHtml, type HtmlValue } from './html';
import {
  cateLabel,
  formatShanghaiTime,
  formatYuan,
  mainStatusLabel,
  mainStatusTone,
  orderTypeLabel,
  paymentMethodLabel,
  subStatusLabel,
  subStatusTone,
} from './labels';
import type { StoredOrder } from './store';

export interface OrdersPageOptions {
  /** show only this user's orders (the page's ?open_id=) */
  openId?: string;
}

/** Everything the browser may load: inline styles and http(s) product images, no script at all. */
const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src http: https:; base-uri 'none'; form-action 'none'";

const STYLE = new SafeHtml(`
* { box-sizing: border-box; }
body { margin: 0; background: #f5f5f5; color: #1f1f1f; font: 14px/1.45 -apple-system, 'PingFang SC', 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', 'Microsoft YaHei', sans-serif; }
.bar { background: #fff; border-bottom: 1px solid #eee; text-align: center; padding: 12px 16px 10px; }
.bar h1 { margin: 0; font-size: 17px; font-weight: 600; }
.bar p { margin: 2px 0 0; font-size: 12px; color: #999; }
main { max-width: 480px; margin: 0 auto; padding: 10px 10px 24px; }
.filter { display: flex; flex-wrap: wrap; gap: 6px; margin: 0 2px 10px; font-size: 12px; }
.filter a { color: #555; background: #fff; border: 1px solid #e5e5e5; border-radius: 14px; padding: 3px 10px; text-decoration: none; max-width: 100%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.filter a.on { color: #ff6a00; border-color: #ff6a00; }
.empty { text-align: center; color: #999; padding: 80px 0; }
.empty strong { display: block; font-size: 16px; color: #666; margin-bottom: 6px; font-weight: 500; }
.order { background: #fff; border-radius: 12px; padding: 12px 12px 10px; margin-bottom: 10px; }
.order--hidden { opacity: .55; background: #fafafa; outline: 1px dashed #ccc; }
.head { display: flex; align-items: baseline; gap: 8px; padding-bottom: 8px; }
.title { flex: 1; min-width: 0; font-weight: 600; font-size: 15px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.cate { flex: none; font-size: 11px; color: #888; border: 1px solid #ddd; border-radius: 3px; padding: 0 4px; }
.status { flex: none; font-size: 13px; }
.status--pending { color: #f5222d; }
.status--progress { color: #ff6a00; }
.status--done { color: #2a9d5c; }
.status--closed { color: #999; }
.status--hidden { color: #999; }
.hidden-note { margin: -4px 0 8px; font-size: 12px; color: #999; }
.product { display: flex; gap: 10px; padding: 8px 0; }
.thumb { flex: none; width: 72px; height: 72px; border-radius: 6px; background: #f0f0f0; object-fit: cover; overflow: hidden; font-size: 10px; line-height: 1.3; color: #999; display: flex; align-items: center; justify-content: center; text-align: center; word-break: break-all; }
img.thumb { position: relative; }
img.thumb::after { content: '无图'; position: absolute; inset: 0; background: #f0f0f0; display: flex; align-items: center; justify-content: center; }
.info { flex: 1; min-width: 0; }
.name { margin: 0; font-size: 14px; display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }
.sku { margin: 4px 0 0; padding: 0; list-style: none; font-size: 12px; color: #999; }
.sku li { display: inline; }
.sku li + li::before { content: '；'; }
.price { flex: none; text-align: right; font-size: 13px; }
.price .pay { display: block; font-weight: 600; }
.price del { display: block; color: #bbb; font-size: 12px; }
.price .qty { display: block; color: #999; font-size: 12px; }
.payment { border-top: 1px solid #f2f2f2; margin-top: 4px; padding-top: 8px; text-align: right; font-size: 12px; color: #666; }
.payment .line { margin: 0 0 2px; }
.payment .total { margin: 4px 0 2px; font-size: 13px; color: #1f1f1f; }
.payment .total strong { font-size: 16px; }
.paid { color: #2a9d5c; }
.unpaid { color: #f5222d; }
.aftersale { margin-top: 10px; background: #fff8f0; border-radius: 8px; padding: 8px 10px; font-size: 12px; }
.aftersale > h2 { margin: 0 0 4px; font-size: 13px; font-weight: 600; }
.sub { border-top: 1px dashed #f3d9bf; padding: 6px 0 2px; }
.sub:first-of-type { border-top: 0; }
.sub .row { display: flex; justify-content: space-between; gap: 8px; }
.sub ul { margin: 2px 0; padding-left: 16px; color: #666; }
.express { margin: 0 0 6px; padding: 6px 8px; background: #f6f9ff; border-radius: 6px; font-size: 12px; color: #333; }
.express code, .return-express code { font-family: ui-monospace, 'DejaVu Sans Mono', monospace; }
.return-express { margin-top: 2px; color: #333; }
.muted { color: #999; }
.meta { margin-top: 8px; font-size: 11px; color: #aaa; word-break: break-all; }
.meta p { margin: 0 0 2px; }
.meta code { font-family: ui-monospace, 'DejaVu Sans Mono', monospace; }
.links { margin-top: 6px; text-align: right; }
.links a { font-size: 12px; color: #555; border: 1px solid #ddd; border-radius: 14px; padding: 3px 12px; text-decoration: none; }
details.raw { margin-top: 8px; font-size: 12px; }
details.raw summary { cursor: pointer; color: #4e6ef2; }
details.raw pre { margin: 6px 0 0; padding: 8px; background: #f7f7f7; border-radius: 6px; overflow-x: auto; font-size: 11px; line-height: 1.4; }
`);

/** The whole HTML document of the local Order Center's page: the orders as 百度App > 订单 lists them. */
export function renderOrdersPage(orders: StoredOrder[], options: OrdersPageOptions = {}): string {
  const { openId } = options;
  const shown = sortNewestFirst(openId === undefined ? orders : orders.filter((o) => o.openId === openId));
  const doc = markup`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>我的订单 · 本地订单中心</title>
<style>${STYLE}</style>
</head>
<body>
<header class="bar"><h1>我的订单</h1><p>本地订单中心 · 共 ${shown.length} 个订单</p></header>
<main>
${renderFilter(orders, openId)}
${shown.length === 0 ? renderEmpty(openId) : shown.map(renderOrder)}
</main>
</body>
</html>
`;
  return doc.text;
}

function sortNewestFirst(orders: StoredOrder[]): StoredOrder[] {
  return [...orders].sort(
    (a, b) => b.data.Mtime - a.data.Mtime || a.data.ResourceID.localeCompare(b.data.ResourceID),
  );
}

/** Chips per user, as soon as there is more than one user or a filter to leave. */
function renderFilter(orders: StoredOrder[], openId: string | undefined): HtmlValue {
  const users = [...new Set(orders.map((o) => o.openId))].sort();
  if (users.length < 2 && openId === undefined) return null;
  const chip = (href: string, label: string, on: boolean) =>
    markup`<a href="${href}"${on ? new SafeHtml(' class="on"') : null}>${label}</a>`;
  const chips = users.map((u) => chip(`/?open_id=${encodeURIComponent(u)}`, u, u === openId));
  return markup`<nav class="filter" aria-label="按用户筛选">${chip('/', '全部用户', openId === undefined)}${chips}</nav>`;
}

function renderEmpty(openId: string | undefined): SafeHtml {
  const hint =
    openId === undefined
      ? '服务向订单中心推送订单后，刷新本页即可看到。'
      : markup`open_id <code>${openId}</code> 名下没有订单。`;
  return markup`<section class="empty"><strong>还没有订单</strong>${hint}</section>`;
}

function renderOrder(order: StoredOrder): SafeHtml {
  const { data } = order;
  const { MainOrder, SubsOrder } = data.EXT;
  const hidden = data.Status === 300;
  const names = new Map(MainOrder.Products.map((p) => [p.ID, p.Name]));
  const history = order.statusHistory.map((h) => mainStatusLabel(data.CateID, h.status)).join(' → ');
  const shipment = order.logistics.find((p) => p.Type === 1);
  const returned = order.logistics.find((p) => p.Type === 2);
  const hasSubs = SubsOrder !== undefined && SubsOrder.Items.length > 0;
  return markup`<article class="order${hidden ? ' order--hidden' : ''}" data-resource-id="${data.ResourceID}" data-open-id="${order.openId}">
<div class="head"><span class="title">${data.Title}</span><span class="cate">${cateLabel(data.CateID)}</span><span class="status order-status status--${mainStatusTone(data.Status)}" data-status="${data.Status}">${mainStatusLabel(data.CateID, data.Status)}</span></div>
${hidden ? markup`<p class="hidden-note">已隐藏：百度App 的订单列表不向用户展示此订单</p>` : null}
${shipment ? markup`<p class="express" data-express-type="1">物流: ${parcelText(shipment)}</p>` : null}
${MainOrder.Products.map(renderProduct)}
${renderPayment(MainOrder.Payment)}
${hasSubs ? renderAfterSale(SubsOrder, order.subStatusHistory, names, returned) : null}
${!hasSubs && returned ? markup`<p class="express" data-express-type="2">退货物流: ${parcelText(returned)}</p>` : null}
${renderDetailLink(MainOrder.OrderDetail)}
<div class="meta">
<p>订单号 <code>${data.ResourceID}</code> · open_id <code>${order.openId}</code> · BizAPPID <code>${data.BizAPPID}</code></p>
<p>创建 ${formatShanghaiTime(data.Ctime)} · 更新 ${formatShanghaiTime(data.Mtime)}</p>
<p class="history">状态记录：${history}</p>
</div>
<details class="raw"><summary>原始数据 (JSON)</summary><pre>${JSON.stringify(order, null, 2)}</pre></details>
</article>
`;
}

function renderProduct(product: Product): SafeHtml {
  const src = safeHttpUrl(product.ImgList?.[0]);
  // Offline the image may never load: the box keeps its size and shows 无图 as a missing image does (a
  // broken image renders its ::after, a loaded one does not; no script needed).
  const thumb = src
    ? markup`<img class="thumb" src="${src}" alt="${product.Name}" width="72" height="72" loading="lazy" referrerpolicy="no-referrer">`
    : markup`<div class="thumb" role="img" aria-label="${product.Name}">无图</div>`;
  const skuAttrs = product.SkuAttr ?? [];
  const sku =
    skuAttrs.length > 0
      ? markup`<ul class="sku">${skuAttrs.map((a) => markup`<li>${a.Name}: ${a.Value}</li>`)}</ul>`
      : null;
  const original = product.PayPrice < product.Price ? markup`<del>${formatYuan(product.Price)}</del>` : null;
  return markup`<div class="product">${thumb}<div class="info"><p class="name">${product.Name}</p>${sku}</div><div class="price"><span class="pay">${formatYuan(product.PayPrice)}</span>${original}<span class="qty">×${product.Quantity}</span></div></div>
`;
}

function specLine(spec: PaymentSpecInfo, sign: 1 | -1): SafeHtml {
  const qty = spec.Quantity === 1 ? '' : ` ×${spec.Quantity}`;
  return markup`<p class="line">${spec.Name}${qty} ${formatYuan(sign * spec.Value)}</p>
`;
}

function renderPayment(payment: Payment): SafeHtml {
  const paidAt = payment.IsPayment && payment.Time ? ` · ${formatShanghaiTime(payment.Time)}` : '';
  const paid = payment.IsPayment
    ? markup`<span class="paid">已支付</span>`
    : markup`<span class="unpaid">未支付</span>`;
  return markup`<div class="payment">
${(payment.PaymentInfo ?? []).map((spec) => specLine(spec, 1))}${(payment.PreferentialInfo ?? []).map((spec) => specLine(spec, -1))}<p class="total">合计 <strong>${formatYuan(payment.Amount)}</strong></p>
<p class="line">${paid} · ${paymentMethodLabel(payment.Method)}${paidAt}</p>
</div>`;
}

/** As 百度App shows a parcel: the carrier's name (Baidu's own for a known code when none was sent), the number. */
function parcelText(parcel: Express): SafeHtml {
  const name = parcel.Name || (CARRIER_NAMES[parcel.Code] ?? parcel.Code);
  return markup`${name} <code>${parcel.ID}</code>`;
}

/**
 * add/main/logistics names no after-sale order: a return parcel belongs to the latest one that sends goods
 * back (exchange or return and refund), else to the latest one.
 */
function returnTarget(subs: SubsOrder): string | undefined {
  const latest = (items: SubOrderItem[]) =>
    items.reduce<SubOrderItem | undefined>(
      (best, sub) => (!best || sub.MTime >= best.MTime ? sub : best),
      undefined,
    );
  return (latest(subs.Items.filter((sub) => sub.OrderType !== 1)) ?? latest(subs.Items))?.SubOrderID;
}

function renderAfterSale(
  subs: SubsOrder,
  histories: StoredOrder['subStatusHistory'],
  names: ReadonlyMap<string, string>,
  returned: Express | undefined,
): SafeHtml {
  const target = returned ? returnTarget(subs) : undefined;
  const items = subs.Items.map((sub) =>
    renderSubOrder(
      sub,
      histories[sub.SubOrderID] ?? [],
      names,
      sub.SubOrderID === target ? returned : undefined,
    ),
  );
  return markup`<section class="aftersale"><h2>售后 · <span class="sub-summary status--${subStatusTone(subs.Status)}" data-status="${subs.Status}">${subStatusLabel(subs.Status)}</span></h2>
${items}</section>`;
}

function renderSubOrder(
  sub: SubOrderItem,
  history: SubOrderItem['SubStatus'][],
  names: ReadonlyMap<string, string>,
  returned: Express | undefined,
): SafeHtml {
  const refund = sub.Refund;
  const amount = refund
    ? markup`<div class="row"><span>退款金额</span><strong>${formatYuan(refund.Amount)}</strong></div>`
    : null;
  const refunded = refund?.Product ?? [];
  const products =
    refunded.length > 0
      ? markup`<ul>${refunded.map((p) => markup`<li>${names.get(p.ID) ?? p.ID} ×${p.Quantity} ${formatYuan(p.Amount)}</li>`)}</ul>`
      : null;
  const steps =
    history.length > 1
      ? markup`<div class="muted sub-history">进度：${history.map(subStatusLabel).join(' → ')}</div>`
      : null;
  return markup`<div class="sub" data-sub-order-id="${sub.SubOrderID}">
<div class="row"><span>${orderTypeLabel(sub.OrderType)} · 售后单号 <code>${sub.SubOrderID}</code></span><span class="sub-status status--${subStatusTone(sub.SubStatus)}" data-status="${sub.SubStatus}">${subStatusLabel(sub.SubStatus)}</span></div>
${amount}${products}${returned ? markup`<div class="return-express" data-express-type="2">退货物流: ${parcelText(returned)}</div>` : null}<div class="muted">申请 ${formatShanghaiTime(sub.CTime)} · 更新 ${formatShanghaiTime(sub.MTime)}</div>${steps}
</div>
`;
}

/**
 * Status 2 is the only one that lets the user jump (the Go SDK sends it as "2"); offline only an http(s)
 * H5 page can be opened here.
 */
function renderDetailLink(detail: DetailPage | undefined): HtmlValue {
  const href = String(detail?.Status) === '2' ? safeHttpUrl(detail?.H5Schema) : undefined;
  if (!href) return null;
  return markup`<div class="links"><a href="${href}" rel="noopener noreferrer" target="_blank">${detail?.Name || '订单详情'}</a></div>`;
}
