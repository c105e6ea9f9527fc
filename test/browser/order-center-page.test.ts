import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startLocalOrderCenter, type LocalOrderCenter } from '../../local/order-center';
import type { CallBodies, Express, OrderCenterCall, OrderData, OrderKey } from '../../lib/order-center/types';
import { APP, callCenter, OPEN_ID, rows, T0 } from '../local-order-center/helpers';

/** Debian's Chromium: playwright-core never downloads a browser of its own. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Without these, Chromium keeps trying to reach Google's hosts from a machine with no internet. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const IMAGE = 'https://imagelib.cdn.bcebos.com/cip_ml_picbc34db9a-7e10-4a96-bf8e-1c690640c6a4.jpeg';
const PHYSICAL: OrderKey = { CateID: 1, BizAPPID: APP.appKey, ResourceID: 'sos-1001' };
const VIRTUAL: OrderKey = { CateID: 2, BizAPPID: APP.appKey, ResourceID: 'sos-2002' };

function physicalOrder(): OrderData {
  return {
    ...PHYSICAL,
    Title: '大凉山丑苹果 等2件商品',
    Ctime: T0,
    Mtime: T0,
    Status: 1,
    EXT: {
      MainOrder: {
        Products: [
          {
            ID: 'apple-5jin',
            Name: '四川大凉山丑苹果脆甜红将军盐源丑苹果',
            Quantity: 2,
            Price: 2590,
            PayPrice: 2390,
            ImgList: [IMAGE],
            SkuAttr: [
              { Name: '规格', Value: '5斤小果' },
              { Name: '产地', Value: '盐源' },
            ],
          },
          {
            ID: 'bag',
            Name: '环保手提袋',
            Quantity: 1,
            Price: 990,
            PayPrice: 990,
            ImgList: ['javascript:alert(1)'],
          },
        ],
        // 2×2390 + 990 + 800 − 500
        Payment: {
          Method: 1,
          Amount: 6070,
          IsPayment: false,
          Time: 0,
          PaymentInfo: [{ Name: '运费', Value: 800, Quantity: 1 }],
          PreferentialInfo: [{ Name: '优惠券', Value: 500, Quantity: 1 }],
        },
      },
    },
  };
}

function virtualOrder(): OrderData {
  return {
    ...VIRTUAL,
    Title: '视频会员 月卡',
    Ctime: T0 + 600,
    Mtime: T0 + 600,
    Status: 2,
    EXT: {
      MainOrder: {
        Products: [{ ID: 'vip-month', Name: '视频会员 连续包月', Quantity: 1, Price: 2500, PayPrice: 1990 }],
        Payment: { Method: 1, Amount: 1990, IsPayment: true, Time: T0 + 600 },
      },
    },
  };
}

const parcel = (Express: Express): CallBodies['add/main/logistics'] => ({
  Data: [{ ...PHYSICAL, EXT: { MainOrder: { Express } } }],
});

/**
 * What the service sends over an order's life: placed, paid, shipped with its parcel, then an after-sale
 * request and the buyer's parcel back.
 */
function serviceCalls(): { [C in OrderCenterCall]: [C, CallBodies[C]] }[OrderCenterCall][] {
  const placed = physicalOrder();
  const paid = { ...placed.EXT.MainOrder.Payment, IsPayment: true, Time: T0 + 60 };
  return [
    ['add/main/info', { Data: [placed] }],
    [
      'update/main/info',
      {
        Data: [
          {
            ...PHYSICAL,
            Status: 5,
            EXT: { MainOrder: { ...placed.EXT.MainOrder, Payment: paid } },
          },
        ],
      },
    ],
    ['update/main/status', { Data: [{ ...PHYSICAL, Status: 6 }] }],
    [
      'add/main/logistics',
      parcel({ Code: 'SFEXPRESS', ID: 'SF1234567890', Name: '顺丰速运', Status: 0, Type: 1 }),
    ],
    [
      'append/sub/info',
      {
        Data: [
          {
            ...PHYSICAL,
            EXT: {
              SubsOrder: {
                Status: 400,
                Items: [
                  {
                    SubOrderID: 'as-77',
                    SubStatus: 400,
                    CTime: T0 + 7200,
                    MTime: T0 + 7200,
                    OrderType: 3,
                    Refund: { Amount: 2390, Product: [{ ID: 'apple-5jin', Quantity: 1, Amount: 2390 }] },
                  },
                ],
              },
            },
          },
        ],
      },
    ],
    [
      'update/sub/status',
      {
        Data: [
          {
            ...PHYSICAL,
            EXT: {
              SubsOrder: { Status: 401, Items: [{ SubOrderID: 'as-77', SubStatus: 401 }] },
            },
          },
        ],
      },
    ],
    ['add/main/logistics', parcel({ Code: 'YTO', ID: 'YT7788990011', Name: '圆通速递', Status: 0, Type: 2 })],
    ['add/main/info', { Data: [virtualOrder()] }],
    ['update/main/status', { Data: [{ ...VIRTUAL, Status: 4 }] }],
  ];
}

async function attributeOfEach(page: Page, selector: string, name: string): Promise<(string | null)[]> {
  const all = page.locator(selector);
  const count = await all.count();
  return Promise.all(Array.from({ length: count }, (_, i) => all.nth(i).getAttribute(name)));
}

/**
 * How far two PNGs of one size are apart: the share of pixels that differ by more than `tolerance` in a
 * channel (antialiasing of rounded corners differs by less). Decoded by Chromium, in a blank page.
 */
interface BrowserGlobals {
  Image: new () => { src: string; width: number; height: number; decode(): Promise<void> };
  document: {
    createElement(tag: 'canvas'): {
      width: number;
      height: number;
      getContext(kind: '2d'): {
        drawImage(image: object, x: number, y: number): void;
        getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
      } | null;
    };
  };
}

async function pixelsApart(context: BrowserContext, a: Buffer, b: Buffer, tolerance = 48): Promise<number> {
  const blank = await context.newPage();
  try {
    return await blank.evaluate(
      async ([a, b, tolerance]) => {
        // The page's globals (tsconfig has no DOM types: only this function runs in a browser).
        const { Image, document } = globalThis as unknown as BrowserGlobals;
        const decode = async (base64: string) => {
          const image = new Image();
          image.src = `data:image/png;base64,${base64}`;
          await image.decode();
          const canvas = document.createElement('canvas');
          canvas.width = image.width;
          canvas.height = image.height;
          const draw = canvas.getContext('2d')!;
          draw.drawImage(image, 0, 0);
          return draw.getImageData(0, 0, image.width, image.height).data;
        };
        const [pa, pb] = [await decode(a), await decode(b)];
        if (pa.length !== pb.length) return 1;
        let apart = 0;
        for (let i = 0; i < pa.length; i += 4) {
          if ([0, 1, 2, 3].some((c) => Math.abs(pa[i + c]! - pb[i + c]!) > tolerance)) apart += 1;
        }
        return apart / (pa.length / 4);
      },
      [a.toString('base64'), b.toString('base64'), tolerance] as const,
    );
  } finally {
    await blank.close();
  }
}

/** The whole page as a PNG, for a person to look at (kept when SCREENSHOT_DIR is set). */
async function screenshot(page: Page, file: string): Promise<void> {
  await page.screenshot({ path: file, fullPage: true });
  const png = await readFile(file);
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  console.log(`screenshot: ${file}`);
}

describe('the local Order Center page in Chromium', () => {
  let center: LocalOrderCenter;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let shots: string;
  /** requests the page tried to send anywhere but the local Order Center: refused, and listed here */
  const blocked: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    center = await startLocalOrderCenter({ apps: [APP] });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    shots = process.env.SCREENSHOT_DIR ?? (await mkdtemp(join(tmpdir(), 'order-center-page-')));
  });

  afterAll(async () => {
    await browser?.close();
    await center?.stop();
    if (shots && !process.env.SCREENSHOT_DIR) await rm(shots, { recursive: true, force: true });
  });

  beforeEach(async () => {
    center.reset();
    blocked.length = 0;
    pageErrors.length = 0;
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    // Product images point at Baidu's CDN: nothing may leave this machine, so they fail as they would offline.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${center.url}/`)) return route.continue();
      blocked.push(url);
      return route.abort('internetdisconnected');
    });
    page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
  });

  afterEach(() => context.close());

  it('shows the orders the service stored, as 百度App > 订单 would', async () => {
    // Prepare
    for (const [call, body] of serviceCalls()) {
      const reply = await callCenter(center, call, body);
      expect([call, reply.status, rows(reply)]).toEqual([call, 200, ['1']]);
    }
    // Act
    const res = await page.goto(`${center.url}/`);
    // Assess
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-type']).toBe('text/html; charset=utf-8');
    await expect(page.title()).resolves.toBe('我的订单 · 本地订单中心');
    await expect(attributeOfEach(page, 'article.order', 'data-resource-id')).resolves.toEqual([
      VIRTUAL.ResourceID,
      PHYSICAL.ResourceID,
    ]);

    const physical = page.locator(`article[data-resource-id="${PHYSICAL.ResourceID}"]`);
    const status = physical.locator('.order-status');
    await expect(status.textContent()).resolves.toBe('等待买家收货');
    await expect(status.getAttribute('data-status')).resolves.toBe('6');
    await expect(physical.locator('.cate').textContent()).resolves.toBe('实物');
    await expect(physical.locator('.product .pay').allTextContents()).resolves.toEqual(['¥23.90', '¥9.90']);
    await expect(physical.locator('.product del').allTextContents()).resolves.toEqual(['¥25.90']);
    await expect(physical.locator('.product .qty').allTextContents()).resolves.toEqual(['×2', '×1']);
    await expect(physical.locator('.sku li').allTextContents()).resolves.toEqual([
      '规格: 5斤小果',
      '产地: 盐源',
    ]);
    await expect(physical.locator('.payment .total').textContent()).resolves.toBe('合计 ¥60.70');
    await expect(physical.locator('.payment').innerText()).resolves.toMatch(
      /运费 ¥8\.00\s+优惠券 -¥5\.00\s+合计 ¥60\.70\s+已支付 · 在线支付 · 2025-11-28 16:01:00/,
    );
    await expect(physical.locator('.history').textContent()).resolves.toBe(
      '状态记录：待付款 → 等待卖家发货 → 等待买家收货',
    );

    // The parcel as 百度App shows it, and the buyer's parcel back under its after-sale order.
    await expect(physical.locator('.express').innerText()).resolves.toBe('物流: 顺丰速运 SF1234567890');
    const afterSale = physical.locator('.sub[data-sub-order-id="as-77"]');
    await expect(afterSale.locator('.return-express').innerText()).resolves.toBe(
      '退货物流: 圆通速递 YT7788990011',
    );
    await expect(afterSale.locator('.sub-status').textContent()).resolves.toBe('处理中');
    await expect(afterSale.locator('.sub-status').getAttribute('data-status')).resolves.toBe('401');
    await expect(physical.locator('.sub-summary').textContent()).resolves.toBe('处理中');
    await expect(afterSale.locator('.sub-history').textContent()).resolves.toBe('进度：申请中 → 处理中');
    await expect(afterSale.innerText()).resolves.toMatch(
      /退货退款 · 售后单号 as-77\s+处理中\s+退款金额\s+¥23\.90\s+四川大凉山丑苹果脆甜红将军盐源丑苹果 ×1 ¥23\.90/,
    );

    const virtual = page.locator(`article[data-resource-id="${VIRTUAL.ResourceID}"]`);
    await expect(virtual.locator('.order-status').textContent()).resolves.toBe('卖家已确认');
    await expect(virtual.locator('.order-status').getAttribute('data-status')).resolves.toBe('4');
    await expect(virtual.locator('.cate').textContent()).resolves.toBe('虚拟');
    await expect(virtual.locator('.payment .total').textContent()).resolves.toBe('合计 ¥19.90');
    await expect(virtual.locator('.aftersale').count()).resolves.toBe(0);
    await expect(virtual.locator('.express').count()).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
    await screenshot(page, join(shots, 'orders.png'));
  });

  it('keeps the layout when images cannot load: fixed boxes showing 无图 as a missing image does, and nothing else fetched', async () => {
    // Prepare
    await callCenter(center, 'add/main/info', { Data: [physicalOrder()] });
    const imageTried = page.waitForEvent('requestfailed', (req) => req.url() === IMAGE);
    // Act
    await page.goto(`${center.url}/`);
    await imageTried;
    // Assess
    const img = page.locator('img.thumb');
    await expect(img.count()).resolves.toBe(1);
    await expect(img.getAttribute('alt')).resolves.toBe('四川大凉山丑苹果脆甜红将军盐源丑苹果');
    await expect(
      img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth),
    ).resolves.toBe(0);
    const placeholder = page.locator('div.thumb[aria-label="环保手提袋"]');
    await expect(placeholder.textContent()).resolves.toBe('无图');
    for (const box of [await img.boundingBox(), await placeholder.boundingBox()]) {
      expect(box && { width: box.width, height: box.height }).toEqual({ width: 72, height: 72 });
    }
    // The image that failed looks exactly like the product that has none: 无图, not a broken-image icon.
    await expect(pixelsApart(context, await img.screenshot(), await placeholder.screenshot())).resolves.toBe(
      0,
    );
    expect(blocked).toEqual([IMAGE]);
    expect(pageErrors).toEqual([]);
  });

  it('opens the stored JSON on click', async () => {
    // Prepare
    for (const [call, body] of serviceCalls()) await callCenter(center, call, body);
    await page.goto(`${center.url}/`);
    const raw = page.locator(`article[data-resource-id="${PHYSICAL.ResourceID}"] details.raw`);
    await expect(raw.locator('pre').isVisible()).resolves.toBe(false);
    // Act
    await raw.locator('summary').click();
    // Assess
    await expect(raw.getAttribute('open')).resolves.toBe('');
    await expect(raw.locator('pre').isVisible()).resolves.toBe(true);
    const stored = JSON.parse((await raw.locator('pre').textContent()) ?? '');
    expect(stored).toEqual(center.order(PHYSICAL.ResourceID));
    expect(stored.data.ResourceID).toBe(PHYSICAL.ResourceID);
    await screenshot(page, join(shots, 'orders-json.png'));
  });

  it('filters by ?open_id= and shows the empty state when nothing matches', async () => {
    // Prepare
    await callCenter(center, 'add/main/info', { Data: [physicalOrder()] });
    await callCenter(center, 'add/main/info', { Data: [virtualOrder()] }, { openId: 'someone-else' });
    // Act
    await page.goto(`${center.url}/?open_id=${encodeURIComponent(OPEN_ID)}`);
    const mine = await page.locator('article.order').getAttribute('data-resource-id');
    await page.goto(`${center.url}/?open_id=nobody`);
    // Assess
    expect(mine).toBe(PHYSICAL.ResourceID);
    await expect(page.locator('article.order').count()).resolves.toBe(0);
    await expect(page.locator('.empty strong').textContent()).resolves.toBe('还没有订单');
    await page.locator('nav.filter a', { hasText: '全部用户' }).click();
    await expect(page.locator('article.order').count()).resolves.toBe(2);
  });
});
