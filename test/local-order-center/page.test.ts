import { OrderStore, type StoredOrder } from '../../local/order-center';
import { renderOrdersPage } from '../../local/order-center/page';
import type {
  CallBodies,
  CateID,
  MainStatus,
  OrderCenterCall,
  OrderData,
  Product,
} from '../../lib/order-center/types';
import { APP, mainOrder, OPEN_ID, page, T0 } from './helpers';

type Step = { [C in OrderCenterCall]: [C, CallBodies[C]] }[OrderCenterCall];

/** Orders as the server hands them to the page: through the store, call by call. */
function storedOrders(steps: Step[], openId = OPEN_ID): StoredOrder[] {
  const store = new OrderStore();
  steps.forEach(([call, body], i) => store.apply(call, openId, body as never, T0 + i));
  return store.all();
}

function add(order: OrderData): Step {
  return ['add/main/info', { Data: [order] }];
}

function product(overrides: Partial<Product> = {}): Product {
  return { ID: 'p1', Name: '苹果', Quantity: 1, Price: 2390, PayPrice: 2390, ...overrides };
}

function withProducts(order: OrderData, products: Product[]): OrderData {
  const main = order.EXT.MainOrder;
  return { ...order, EXT: { ...order.EXT, MainOrder: { ...main, Products: products } } };
}

/** The one card of this ResourceID (the whole <article>), or '' when there is none. */
function card(doc: string, resourceId: string): string {
  const start = doc.indexOf(`<article class="order`);
  const cards = start < 0 ? [] : doc.slice(start).split('</article>');
  return cards.find((c) => c.includes(`data-resource-id="${resourceId}"`)) ?? '';
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

function articles(doc: string): number {
  return doc.match(/<article /g)?.length ?? 0;
}

const PAGE_RID = '2221554346520';

describe('renderOrdersPage', () => {
  it('says there are no orders yet, in a whole HTML document', () => {
    // Act
    const doc = renderOrdersPage([]);
    // Assess
    expect(doc.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(doc).toContain('<html lang="zh-CN">');
    expect(doc).toContain('<meta charset="utf-8">');
    expect(doc).toContain('还没有订单');
    expect(doc).toContain('共 0 个订单');
    expect(articles(doc)).toBe(0);
    expect(doc.trimEnd().endsWith('</html>')).toBe(true);
  });

  it("shows the page's physical order the way 百度App's list would", () => {
    // Prepare
    const orders = storedOrders([['add/main/info', page.addMainInfo()]]);
    // Act
    const doc = renderOrdersPage(orders);
    // Assess
    const c = card(doc, PAGE_RID);
    expect(articles(doc)).toBe(1);
    expect(c).toContain('<span class="title">test</span>');
    expect(c).toContain('<span class="cate">实物</span>');
    expect(c).toContain('class="status order-status status--done" data-status="200">交易完成</span>');
    expect(c).toContain(
      '<img class="thumb" src="https://imagelib.cdn.bcebos.com/cip_ml_picbc34db9a-7e10-4a96-bf8e-1c690640c6a4.jpeg" alt="四川大凉山丑苹果脆甜红将军盐源丑苹果" width="72" height="72"',
    );
    expect(c).toContain('<p class="name">四川大凉山丑苹果脆甜红将军盐源丑苹果</p>');
    expect(c).toContain('<li>四川大凉山丑苹果脆甜: 5斤小果25个左右偏小</li>');
    expect(c).toContain('<span class="pay">¥23.90</span>');
    expect(c).not.toContain('<del>');
    expect(c).toContain('<span class="qty">×1</span>');
    expect(c).toContain('<p class="line">运费 ¥1.00</p>');
    expect(c).toContain('<p class="line">优惠券使用 -¥1.00</p>');
    expect(c).toContain('合计 <strong>¥23.90</strong>');
    expect(c).toContain('<span class="unpaid">未支付</span> · 在线支付</p>');
    expect(c).toContain('open_id <code>k9sXcA0PL_open_id_1</code>');
    expect(c).toContain('BizAPPID <code>a392qXwK8L5GDUWhFoC01cKwoy7tmehg</code>');
    expect(c).toContain('创建 2009-01-29 14:59:03 · 更新 2009-01-29 14:59:03');
    expect(c).toContain('状态记录：交易完成</p>');
  });

  it("shows the page's after-sale order with its type, status, refund and products", () => {
    // Prepare
    const orders = storedOrders([['add/main/info', page.addMainInfo()]]);
    // Act
    const doc = renderOrdersPage(orders);
    // Assess
    const c = card(doc, PAGE_RID);
    expect(c).toContain('售后 · <span class="sub-summary status--progress" data-status="400">申请中</span>');
    expect(c).toContain('<div class="sub" data-sub-order-id="onlyOne">');
    expect(c).toContain('仅退款 · 售后单号 <code>onlyOne</code>');
    expect(c).toContain('<span class="sub-status status--progress" data-status="400">申请中</span>');
    expect(c).toContain('<span>退款金额</span><strong>¥0.10</strong>');
    expect(c).toContain('<li>四川大凉山丑苹果脆甜红将军盐源丑苹果 ×1 ¥0.00</li>');
    expect(c).toContain('申请 2019-10-14 12:10:01 · 更新 2019-10-14 12:10:01');
    expect(c).not.toContain('sub-history');
  });

  it('follows the after-sale order through its statuses, summary and history', () => {
    // Prepare
    const key = { CateID: 1 as const, BizAPPID: APP.appKey, ResourceID: PAGE_RID };
    const subStatus = (s: 401 | 402): Step => [
      'update/sub/status',
      {
        Data: [
          { ...key, EXT: { SubsOrder: { Status: s, Items: [{ SubOrderID: 'onlyOne', SubStatus: s }] } } },
        ],
      },
    ];
    const orders = storedOrders([['add/main/info', page.addMainInfo()], subStatus(401), subStatus(402)]);
    // Act
    const c = card(renderOrdersPage(orders), PAGE_RID);
    // Assess
    expect(c).toContain('售后 · <span class="sub-summary status--done" data-status="402">退款成功</span>');
    expect(c).toContain('<span class="sub-status status--done" data-status="402">退款成功</span>');
    expect(c).toContain('<div class="muted sub-history">进度：申请中 → 处理中 → 退款成功</div>');
  });

  it.each<[CateID, MainStatus, string, string]>([
    [1, 1, '待付款', 'pending'],
    [1, 5, '等待卖家发货', 'progress'],
    [1, 6, '等待买家收货', 'progress'],
    [1, 100, '交易关闭', 'closed'],
    [1, 200, '交易完成', 'done'],
    [2, 1, '待付款', 'pending'],
    [2, 2, '等待卖家确认', 'progress'],
    [2, 3, '卖家处理中', 'progress'],
    [2, 4, '卖家已确认', 'progress'],
    [2, 100, '交易关闭', 'closed'],
    [2, 200, '交易完成', 'done'],
  ])('CateID %d, Status %d reads %s', (cate, status, label, tone) => {
    // Prepare
    const orders = storedOrders([add(mainOrder({ CateID: cate, Status: status, ResourceID: 'r1' }))]);
    // Act
    const c = card(renderOrdersPage(orders), 'r1');
    // Assess
    expect(c).toContain(
      `class="status order-status status--${tone}" data-status="${status}">${label}</span>`,
    );
    expect(c).toContain(`<span class="cate">${cate === 1 ? '实物' : '虚拟'}</span>`);
    expect(c).toContain('<article class="order" ');
    expect(c).not.toContain('已隐藏');
  });

  it('greys a hidden order out and says the user cannot see it', () => {
    // Prepare
    const orders = storedOrders([add(mainOrder({ Status: 300, ResourceID: 'gone' }))]);
    // Act
    const c = card(renderOrdersPage(orders), 'gone');
    // Assess
    expect(c).toContain('<article class="order order--hidden" data-resource-id="gone"');
    expect(c).toContain('data-status="300">隐藏</span>');
    expect(c).toContain('已隐藏：百度App 的订单列表不向用户展示此订单');
  });

  it('strikes the original price through only when the pay price is lower', () => {
    // Prepare
    const order = withProducts(mainOrder({ ResourceID: 'sale' }), [
      product({ ID: 'a', Name: '打折', Price: 2390, PayPrice: 1990, Quantity: 3 }),
      product({ ID: 'b', Name: '原价', Price: 500, PayPrice: 500 }),
    ]);
    // Act
    const c = card(renderOrdersPage(storedOrders([add(order)])), 'sale');
    // Assess
    const [discounted, full] = c.split('<div class="product">').slice(1);
    expect(discounted).toContain(
      '<span class="pay">¥19.90</span><del>¥23.90</del><span class="qty">×3</span>',
    );
    expect(full).toContain('<span class="pay">¥5.00</span><span class="qty">×1</span>');
    expect(full).not.toContain('<del>');
  });

  it('shows a paid cash-on-delivery order with its pay time in Beijing time', () => {
    // Prepare
    const base = mainOrder({ ResourceID: 'cod' });
    const Payment = { ...base.EXT.MainOrder.Payment, Method: 2 as const, IsPayment: true, Time: T0 };
    const order = { ...base, EXT: { ...base.EXT, MainOrder: { ...base.EXT.MainOrder, Payment } } };
    // Act
    const c = card(renderOrdersPage(storedOrders([add(order)])), 'cod');
    // Assess
    expect(c).toContain('<span class="paid">已支付</span> · 货到付款 · 2025-11-28 16:00:00</p>');
  });

  it('lists fees and discounts with their quantity when it is not 1', () => {
    // Prepare
    const base = mainOrder({ ResourceID: 'fees' });
    const Payment = {
      ...base.EXT.MainOrder.Payment,
      PaymentInfo: [{ Name: '包装费', Value: 50, Quantity: 2 }],
      PreferentialInfo: [{ Name: '满减', Value: 300, Quantity: 1 }],
    };
    const order = { ...base, EXT: { ...base.EXT, MainOrder: { ...base.EXT.MainOrder, Payment } } };
    // Act
    const c = card(renderOrdersPage(storedOrders([add(order)])), 'fees');
    // Assess
    expect(c).toContain('<p class="line">包装费 ×2 ¥0.50</p>');
    expect(c).toContain('<p class="line">满减 -¥3.00</p>');
  });

  it('writes the main status history in order', () => {
    // Prepare
    const key = { CateID: 1 as const, BizAPPID: APP.appKey, ResourceID: 'h1' };
    const orders = storedOrders([
      add(mainOrder({ ...key, Status: 1 })),
      ['update/main/status', { Data: [{ ...key, Status: 5 }] }],
      ['update/main/status', { Data: [{ ...key, Status: 6 }] }],
    ]);
    // Act
    const c = card(renderOrdersPage(orders), 'h1');
    // Assess
    expect(c).toContain('状态记录：待付款 → 等待卖家发货 → 等待买家收货</p>');
    expect(c).toContain('data-status="6">等待买家收货</span>');
  });

  it('keeps the stored JSON, escaped, one click away', () => {
    // Prepare
    const orders = storedOrders([['add/main/info', page.addMainInfo()]]);
    // Act
    const c = card(renderOrdersPage(orders), PAGE_RID);
    // Assess
    const raw =
      /<details class="raw"><summary>原始数据 \(JSON\)<\/summary><pre>([^<]*)<\/pre><\/details>/.exec(c);
    expect(raw).not.toBeNull();
    expect(JSON.parse(unescapeHtml(raw![1]!))).toEqual(orders[0]);
    expect(raw![1]).toContain(`&quot;ResourceID&quot;: &quot;${PAGE_RID}&quot;`);
  });

  it('shows a placeholder, never an <img>, for a missing or non-http image', () => {
    // Prepare
    const order = withProducts(mainOrder({ ResourceID: 'img' }), [
      product({ ID: 'a', Name: '无链接' }),
      product({ ID: 'b', Name: '脚本', ImgList: ['javascript:alert(1)'] }),
      product({ ID: 'c', Name: '内嵌', ImgList: ['data:image/png;base64,AAAA'] }),
      product({ ID: 'd', Name: '相对', ImgList: ['/local.png'] }),
      product({ ID: 'e', Name: '明文', ImgList: ['http://img.example/e.png', 'https://img.example/2.png'] }),
    ]);
    // Act
    const c = card(renderOrdersPage(storedOrders([add(order)])), 'img');
    // Assess
    expect(c.match(/<img /g)).toHaveLength(1);
    expect(c).toContain('<img class="thumb" src="http://img.example/e.png" alt="明文"');
    for (const name of ['无链接', '脚本', '内嵌', '相对']) {
      expect(c).toContain(`<div class="thumb" role="img" aria-label="${name}">无图</div>`);
    }
  });

  it('links the H5 detail page only when its status allows the jump and the URL is http(s)', () => {
    // Prepare
    const detail = (rid: string, OrderDetail: OrderData['EXT']['MainOrder']['OrderDetail']) => {
      const base = mainOrder({ ResourceID: rid });
      return add({ ...base, EXT: { ...base.EXT, MainOrder: { ...base.EXT.MainOrder, OrderDetail } } });
    };
    const orders = storedOrders([
      detail('linked', { Status: 2, Name: '查看订单', H5Schema: 'https://shop.example/o/1' }),
      detail('shown', { Status: 1, Name: '查看订单', H5Schema: 'https://shop.example/o/2' }),
      detail('swan', { Status: 2, SwanSchema: 'baiduboxapp://swan/x', H5Schema: 'javascript:alert(1)' }),
    ]);
    // Act
    const doc = renderOrdersPage(orders);
    // Assess
    expect(card(doc, 'linked')).toContain(
      '<a href="https://shop.example/o/1" rel="noopener noreferrer" target="_blank">查看订单</a>',
    );
    expect(card(doc, 'shown')).not.toContain('<a ');
    expect(card(doc, 'swan')).not.toContain('<a ');
  });

  it('puts the most recently changed order first', () => {
    // Prepare
    const orders = storedOrders([
      add(mainOrder({ ResourceID: 'old', Mtime: T0 })),
      add(mainOrder({ ResourceID: 'new', Mtime: T0 + 60 })),
      add(mainOrder({ ResourceID: 'mid', Mtime: T0 + 30 })),
    ]);
    // Act
    const doc = renderOrdersPage(orders);
    // Assess
    const ids = [...doc.matchAll(/data-resource-id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(['new', 'mid', 'old']);
    expect(doc).toContain('共 3 个订单');
  });

  describe('?open_id= filter', () => {
    const mine = storedOrders([add(mainOrder({ ResourceID: 'mine' }))], 'user-a');
    const theirs = storedOrders([add(mainOrder({ ResourceID: 'theirs' }))], 'user b&c');
    const orders = [...mine, ...theirs];

    it('shows every order and a chip per user without a filter', () => {
      // Act
      const doc = renderOrdersPage(orders);
      // Assess
      expect(articles(doc)).toBe(2);
      expect(doc).toContain('<a href="/" class="on">全部用户</a>');
      expect(doc).toContain('<a href="/?open_id=user-a">user-a</a>');
      expect(doc).toContain('<a href="/?open_id=user%20b%26c">user b&amp;c</a>');
    });

    it("shows only that user's orders", () => {
      // Act
      const doc = renderOrdersPage(orders, { openId: 'user b&c' });
      // Assess
      expect(articles(doc)).toBe(1);
      expect(card(doc, 'theirs')).toContain('data-open-id="user b&amp;c"');
      expect(doc).toContain('<a href="/?open_id=user%20b%26c" class="on">user b&amp;c</a>');
      expect(doc).toContain('共 1 个订单');
    });

    it('says so when that user has no order', () => {
      // Act
      const doc = renderOrdersPage(orders, { openId: '<nobody>' });
      // Assess
      expect(articles(doc)).toBe(0);
      expect(doc).toContain('还没有订单');
      expect(doc).toContain('open_id <code>&lt;nobody&gt;</code> 名下没有订单');
    });

    it('draws no chips for a single user', () => {
      // Act
      const doc = renderOrdersPage(mine);
      // Assess
      expect(doc).not.toContain('<nav');
    });
  });
});

describe('renderOrdersPage against hostile order data', () => {
  const EVIL = `"'><script>alert(1)</script><img src=x onerror=alert(2)><a href="javascript:alert(3)">&amp;`;
  const ALLOWED_ATTRIBUTES = new Set(
    'lang charset http-equiv content name class aria-label data-resource-id data-open-id data-status data-sub-order-id src alt width height loading referrerpolicy role href rel target'.split(
      ' ',
    ),
  );
  const ALLOWED_TAGS = new Set(
    'html head meta title style body header h1 h2 p main nav a section strong code article div span img ul li del details summary pre'.split(
      ' ',
    ),
  );

  function hostileDoc(): string {
    const base = mainOrder({ ResourceID: EVIL, BizAPPID: EVIL, Title: EVIL });
    const order: OrderData = {
      ...base,
      EXT: {
        MainOrder: {
          ...base.EXT.MainOrder,
          Products: [
            product({
              ID: EVIL,
              Name: EVIL,
              ImgList: ['javascript:alert(4)'],
              SkuAttr: [{ Name: EVIL, Value: EVIL }],
            }),
            product({ ID: 'p2', Name: EVIL, ImgList: [`https://img.example/a.png?"onerror="alert(5)`] }),
          ],
          Payment: {
            ...base.EXT.MainOrder.Payment,
            PaymentInfo: [{ Name: EVIL, Value: 1, Quantity: 1 }],
            PreferentialInfo: [{ Name: EVIL, Value: 1, Quantity: 1 }],
          },
          OrderDetail: {
            Status: 2,
            Name: EVIL,
            H5Schema: `https://shop.example/"><script>alert(6)</script>`,
          },
        },
        SubsOrder: {
          Status: 400,
          Items: [
            {
              SubOrderID: EVIL,
              SubStatus: 400,
              CTime: T0,
              MTime: T0,
              OrderType: 1,
              Refund: { Amount: 1, Product: [{ ID: 'unknown-product', Quantity: 1, Amount: 1 }] },
            },
          ],
        },
      },
    };
    const orders = storedOrders([add(order)], EVIL);
    return renderOrdersPage(orders, { openId: EVIL });
  }

  it('produces only our own tags and attributes: no script, no event handler', () => {
    // Act
    const doc = hostileDoc();
    // Assess
    // A double-quoted value cannot hold a raw '"', so emptying them leaves exactly the tags' structure.
    const tags = [...doc.replace(/="[^"]*"/g, '=""').matchAll(/<[a-zA-Z][^>]*>/g)].map((m) => m[0]);
    const malformed = tags.filter((tag) => !/^<[a-z][a-z0-9]*(\s[a-z-]+="")*>$/.test(tag));
    const names = new Set(tags.map((tag) => /^<([a-z0-9]+)/.exec(tag)![1]!));
    const attrs = new Set(tags.flatMap((tag) => [...tag.matchAll(/\s([a-z-]+)=""/g)].map((m) => m[1]!)));
    expect(malformed).toEqual([]);
    expect([...names].filter((t) => !ALLOWED_TAGS.has(t))).toEqual([]);
    expect([...attrs].filter((a) => !ALLOWED_ATTRIBUTES.has(a))).toEqual([]);
    expect(doc).not.toMatch(/<script/i);
    expect(articles(doc)).toBe(1);
  });

  it('lets only http(s) URLs into src and only ours or http(s) into href', () => {
    // Act
    const doc = hostileDoc();
    // Assess
    const srcs = [...doc.matchAll(/\ssrc="([^"]*)"/g)].map((m) => m[1]);
    const hrefs = [...doc.matchAll(/\shref="([^"]*)"/g)].map((m) => m[1]);
    expect(srcs).toEqual(['https://img.example/a.png?%22onerror=%22alert(5)']);
    expect(hrefs.every((h) => /^(\/|https?:\/\/)/.test(h!))).toBe(true);
    expect(hrefs).toContain('https://shop.example/%22%3E%3Cscript%3Ealert(6)%3C/script%3E');
  });

  it('keeps every value intact inside its attribute and its text', () => {
    // Act
    const doc = hostileDoc();
    // Assess
    const rid = /data-resource-id="([^"]*)"/.exec(doc)![1]!;
    const openId = /data-open-id="([^"]*)"/.exec(doc)![1]!;
    const title = /<span class="title">([^<]*)<\/span>/.exec(doc)![1]!;
    expect([rid, openId, title].map(unescapeHtml)).toEqual([EVIL, EVIL, EVIL]);
    expect(doc).toContain('<li>unknown-product ×1 ¥0.01</li>');
  });

  it('forbids scripts to the browser as well', () => {
    // Act
    const doc = hostileDoc();
    // Assess
    expect(doc).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src http: https:; base-uri &#39;none&#39;; form-action &#39;none&#39;">`,
    );
  });
});

describe('renderOrdersPage: logistics', () => {
  const placed = page.addMainInfo();
  const key = {
    CateID: placed.Data[0].CateID,
    BizAPPID: placed.Data[0].BizAPPID,
    ResourceID: placed.Data[0].ResourceID,
  };
  const parcel = (Code: string, ID: string, Name: string, Type: 1 | 2): Step => [
    'add/main/logistics',
    { Data: [{ ...key, EXT: { MainOrder: { Express: { Code, ID, Name, Status: 0, Type } } } }] },
  ];

  it('shows the shipment as 百度App does: 物流, the carrier, the tracking number', () => {
    // Act
    const doc = renderOrdersPage(
      storedOrders([add(placed.Data[0]), parcel('SFEXPRESS', 'SF1234567890', '顺丰速运', 1)]),
    );
    // Assess
    const c = card(doc, PAGE_RID);
    expect(c).toContain(
      '<p class="express" data-express-type="1">物流: 顺丰速运 <code>SF1234567890</code></p>',
    );
    expect(c).not.toContain('退货物流');
  });

  it("shows the return parcel under its after-sale order, with Baidu's name for a code sent without one", () => {
    // Act
    const doc = renderOrdersPage(storedOrders([add(placed.Data[0]), parcel('YTO', 'YT7788990011', '', 2)]));
    // Assess
    const sub = card(doc, PAGE_RID).split('<div class="sub" data-sub-order-id="onlyOne">')[1] ?? '';
    expect(sub).toContain(
      '<div class="return-express" data-express-type="2">退货物流: 圆通速递 <code>YT7788990011</code></div>',
    );
    expect(card(doc, PAGE_RID)).not.toContain('data-express-type="1"');
  });

  it('shows a return parcel of an order without after-sale orders on the order itself', () => {
    // Prepare
    const { SubsOrder: _subs, ...ext } = placed.Data[0].EXT;
    // Act
    const doc = renderOrdersPage(
      storedOrders([add({ ...placed.Data[0], EXT: ext }), parcel('YTO', 'YT1', '圆通', 2)]),
    );
    // Assess
    expect(card(doc, PAGE_RID)).toContain(
      '<p class="express" data-express-type="2">退货物流: 圆通 <code>YT1</code></p>',
    );
  });

  it('escapes a hostile carrier name and tracking number', () => {
    // Act
    const doc = renderOrdersPage(
      storedOrders([add(placed.Data[0]), parcel('SFEXPRESS', '<b>1</b>', '<script>x</script>', 1)]),
    );
    // Assess
    expect(card(doc, PAGE_RID)).toContain(
      '物流: &lt;script&gt;x&lt;/script&gt; <code>&lt;b&gt;1&lt;/b&gt;</code>',
    );
  });
});
