import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CALL_NAMES,
  requestIssues,
  startLocalOrderCenter,
  type CallName,
  type LocalOrderCenter,
} from '../../local/order-center';
import { APP, callCenter, OPEN_ID, rows } from './helpers';

/**
 * The local Order Center's own reading of Baidu's calls (local/order-center/api.ts): strict where Baidu
 * documents a rule, lenient where Baidu's own Go SDK needs it. Each rule has a case that breaks it and
 * must be refused naming the offending field.
 */

type Body = { Data: Record<string, unknown>[] };

/** The Go SDK's bodies (test/fixtures/order-center/go-sdk/README.md names the structs). */
function goSdk(call: CallName): Body {
  const file = join(__dirname, '../fixtures/order-center/go-sdk', `${call.replaceAll('/', '-')}.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as Body;
}

/** A copy of `body` with the value at `path` (`Data[0].EXT.MainOrder`) set, or removed when `to` is undefined. */
function edited(body: unknown, path: string, to: unknown): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  const keys = path.match(/[^.[\]]+/g)!.map((k) => (/^\d+$/.test(k) ? Number(k) : k));
  let node = copy as Record<string | number, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = keys.at(-1)!;
  if (to === undefined) Reflect.deleteProperty(node, last);
  else node[last] = to;
  return copy;
}

const MAIN = 'Data[0].EXT.MainOrder';
const EXPRESS = `${MAIN}.Express`;
const P0 = `${MAIN}.Products[0]`;
const SUBS = 'Data[0].EXT.SubsOrder';
const ITEM0 = `${SUBS}.Items[0]`;

interface Refusal {
  call: CallName;
  rule: string;
  path: string;
  to: unknown;
  /** the field the answer must name; default `path` */
  names?: string;
  message: RegExp;
}

const REFUSED: Refusal[] = [
  // Unknown fields, at every depth: what docs/contract.md section 8 says each call does not have
  ...(
    [
      ['update/main/info', 'Data[0].Title', 'new title'],
      ['update/main/info', 'Data[0].Ctime', 1764316800],
      ['update/main/info', 'Data[0].Mtime', 1764316800],
      ['update/main/status', 'Data[0].Mtime', 1764316800],
      ['update/sub/status', `${ITEM0}.MTime`, 1764316800],
      ['update/sub/status', `${ITEM0}.CTime`, 1764316800],
      ['update/main/info', 'Data[0].EXT.SubsOrder', { Status: 400, Items: [] }],
      ['append/sub/info', `${SUBS}.MainOrder`, {}],
      ['add/main/info', 'Data[0].Ext', {}],
      ['add/main/info', `${P0}.Colour`, 'red'],
      ['add/main/info', `${MAIN}.Payment.Currency`, 'CNY'],
      ['append/sub/info', `${ITEM0}.Refund.Product[0].Name`, '丑苹果'],
      ['update/main/status', 'Extra', 1],
      ['add/main/logistics', 'Data[0].Status', 6],
      ['add/main/logistics', `${MAIN}.Products`, []],
      ['add/main/logistics', `${EXPRESS}.Phone`, '95338'],
    ] as const
  ).map(([call, path, to]) => ({
    call,
    rule: `unknown field ${path}`,
    path,
    to,
    message: /is not a field of/,
  })),

  // Wrong types
  {
    call: 'add/main/info',
    rule: 'a string Status',
    path: 'Data[0].Status',
    to: '1',
    message: /must be an integer/,
  },
  {
    call: 'add/main/info',
    rule: 'a number as Title',
    path: 'Data[0].Title',
    to: 5,
    message: /must be a string/,
  },
  {
    call: 'add/main/info',
    rule: 'a fractional Quantity',
    path: `${P0}.Quantity`,
    to: 1.5,
    message: /must be an integer/,
  },
  {
    call: 'update/main/info',
    rule: 'IsPayment as 1',
    path: `${MAIN}.Payment.IsPayment`,
    to: 1,
    message: /must be true or false/,
  },
  {
    call: 'add/main/info',
    rule: 'EXT as an array',
    path: 'Data[0].EXT',
    to: [],
    message: /must be an object/,
  },
  {
    call: 'add/main/info',
    rule: 'ImgList as a string',
    path: `${P0}.ImgList`,
    to: 'x',
    message: /must be an array/,
  },
  {
    call: 'update/sub/info',
    rule: 'MTime as a string',
    path: `${ITEM0}.MTime`,
    to: '1',
    message: /must be an integer/,
  },
  {
    call: 'add/main/info',
    rule: 'DetailPage.Status "3"',
    path: `${P0}.DetailPage.Status`,
    to: '3',
    message: /must be an integer/,
  },
  {
    call: 'add/main/info',
    rule: 'Products null',
    path: `${MAIN}.Products`,
    to: null,
    message: /must be an array, got null/,
  },

  // Missing required fields
  ...(
    [
      ['add/main/info', 'Data[0].Title'],
      ['add/main/info', 'Data[0].Mtime'],
      ['add/main/info', `${MAIN}.Payment`],
      ['add/main/info', `${P0}.PayPrice`],
      ['update/main/info', 'Data[0].Status'],
      ['update/main/status', 'Data[0].ResourceID'],
      ['append/sub/info', `${ITEM0}.OrderType`],
      ['update/sub/status', `${SUBS}.Status`],
      ['update/sub/status', `${ITEM0}.SubStatus`],
    ] as const
  ).map(([call, path]) => ({ call, rule: `without ${path}`, path, to: undefined, message: /is required/ })),
  {
    call: 'add/main/info',
    rule: 'an empty ResourceID',
    path: 'Data[0].ResourceID',
    to: '',
    message: /must not be empty/,
  },

  // Values outside their sets
  {
    call: 'add/main/info',
    rule: 'Status 2 (virtual only) on a physical order',
    path: 'Data[0].Status',
    to: 2,
    message: /2 is not a status of CateID 1 \(allowed: 1, 5, 6, 100, 200, 300\)/,
  },
  {
    call: 'update/main/status',
    rule: 'Status 5 (physical only) on a virtual order',
    path: 'Data[0].CateID',
    to: 2,
    names: 'Data[0].Status',
    message: /6 is not a status of CateID 2/,
  },
  { call: 'update/main/status', rule: 'CateID 5', path: 'Data[0].CateID', to: 5, message: /one of 1, 2/ },
  {
    call: 'update/sub/status',
    rule: 'SubStatus 405',
    path: `${ITEM0}.SubStatus`,
    to: 405,
    message: /one of 400/,
  },
  {
    call: 'append/sub/info',
    rule: 'OrderType 4',
    path: `${ITEM0}.OrderType`,
    to: 4,
    message: /one of 1, 2, 3/,
  },
  {
    call: 'add/main/info',
    rule: 'Payment.Method 3',
    path: `${MAIN}.Payment.Method`,
    to: 3,
    message: /one of 1, 2/,
  },
  { call: 'add/main/info', rule: 'a negative Price', path: `${P0}.Price`, to: -1, message: /at least 0/ },
  { call: 'add/main/info', rule: 'Quantity 0', path: `${P0}.Quantity`, to: 0, message: /at least 1/ },
  {
    call: 'add/main/info',
    rule: 'six images',
    path: `${P0}.ImgList`,
    to: Array.from({ length: 6 }, (_, i) => `https://img.example/${i}.jpg`),
    message: /at most 5/,
  },
  {
    call: 'add/main/info',
    rule: 'five SkuAttr',
    path: `${P0}.SkuAttr`,
    to: Array.from({ length: 5 }, (_, i) => ({ Name: `n${i}`, Value: 'v' })),
    message: /at most 4/,
  },
  {
    call: 'update/main/info',
    rule: 'an Amount off the page formula',
    path: `${MAIN}.Payment.Amount`,
    to: 4781,
    message: /must be 4780/,
  },
  {
    call: 'append/sub/info',
    rule: 'two after-sale items with one SubOrderID',
    path: `${SUBS}.Items[1].SubOrderID`,
    to: 'as-1',
    message: /is used twice/,
  },

  // Data cardinality
  {
    call: 'add/main/info',
    rule: 'two orders in one add',
    path: 'Data[1]',
    to: 'copy',
    names: 'Data',
    message: /exactly one/,
  },
  { call: 'add/main/info', rule: 'no order', path: 'Data', to: [], message: /exactly one item.*, got 0/ },
  { call: 'update/main/status', rule: 'no item', path: 'Data', to: [], message: /at least one item, got 0/ },
  {
    call: 'update/sub/info',
    rule: 'two items',
    path: 'Data[1]',
    to: 'copy',
    names: 'Data',
    message: /exactly one item, got 2/,
  },
  {
    call: 'update/sub/status',
    rule: 'Data as one object',
    path: 'Data',
    to: 'object',
    message: /must be an array/,
  },
  { call: 'update/main/info', rule: 'no Data', path: 'Data', to: undefined, message: /is required/ },

  // add/main/logistics (Go SDK openapi/submitOrderLogistics.go): one Express object, Baidu's carrier codes
  {
    call: 'add/main/logistics',
    rule: 'a carrier code Baidu does not know',
    path: `${EXPRESS}.Code`,
    to: 'NOPE',
    message: /"NOPE" is not a known carrier code/,
  },
  {
    call: 'add/main/logistics',
    rule: 'a carrier name for a code',
    path: `${EXPRESS}.Code`,
    to: '顺丰速运',
    message: /is not a known carrier code/,
  },
  {
    call: 'add/main/logistics',
    rule: 'Express as an array (the Java SDK and the page)',
    path: EXPRESS,
    to: [{ Code: 'SFEXPRESS', ID: 'SF1', Name: '', Status: 0, Type: 1 }],
    message: /must be an object/,
  },
  { call: 'add/main/logistics', rule: 'no tracking number', path: `${EXPRESS}.ID`, to: '', message: /empty/ },
  {
    call: 'add/main/logistics',
    rule: 'no Type',
    path: `${EXPRESS}.Type`,
    to: undefined,
    message: /required/,
  },
  {
    call: 'add/main/logistics',
    rule: 'Type 3',
    path: `${EXPRESS}.Type`,
    to: 3,
    message: /one of 1, 2, got 3/,
  },
  {
    call: 'add/main/logistics',
    rule: 'Status 1',
    path: `${EXPRESS}.Status`,
    to: 1,
    message: /one of 0, got 1/,
  },
  { call: 'add/main/logistics', rule: 'no Data', path: 'Data', to: [], message: /at least one item, got 0/ },
  {
    call: 'update/sub/status',
    rule: 'no after-sale item',
    path: `${SUBS}.Items`,
    to: [],
    message: /at least 1/,
  },
];

function broken({ call, path, to }: Refusal): unknown {
  const body = goSdk(call);
  if (to === 'copy') return edited(body, path, body.Data[0]);
  if (to === 'object') return edited(body, path, body.Data[0]);
  return edited(body, path, to);
}

describe('the local Order Center reads each call from its own table', () => {
  it('knows the seven calls', () => {
    expect(CALL_NAMES).toEqual([
      'add/main/info',
      'update/main/info',
      'update/main/status',
      'append/sub/info',
      'update/sub/info',
      'update/sub/status',
      'add/main/logistics',
    ]);
  });

  it.each(CALL_NAMES)("accepts %s exactly as Baidu's Go SDK serialises it, zero values and all", (call) => {
    expect(requestIssues(call, goSdk(call))).toEqual([]);
  });

  it.each(REFUSED)('$call refuses $rule, naming the field', (refusal) => {
    // Act
    const issues = requestIssues(refusal.call, broken(refusal));

    // Assess
    expect(issues[0]).toEqual({
      path: refusal.names ?? refusal.path,
      message: expect.stringMatching(refusal.message),
    });
  });

  it('reports every issue of a body, each at its own path', () => {
    // Prepare
    let body = edited(goSdk('update/main/info'), 'Data[0].Title', 'x');
    body = edited(body, `${P0}.Quantity`, '2');

    // Act
    const issues = requestIssues('update/main/info', body);

    // Assess
    expect(issues.map((i) => i.path)).toEqual(['Data[0].Title', `${P0}.Quantity`]);
  });

  it.each([
    ['DetailPage.Status as the number 2', `${P0}.DetailPage.Status`, 2],
    ['DetailPage.Status as the string "2" (Go SDK)', `${P0}.DetailPage.Status`, '2'],
    ['DetailPage.Status "" (Go zero value)', `${P0}.DetailPage.Status`, ''],
    [
      'all DetailPage fields of the page',
      `${P0}.DetailPage`,
      { Status: 1, Name: 'n', H5Schema: 'h', SwanSchema: 's', IPhoneSchema: 'i', AndroidSchema: 'a' },
    ],
    ['no DetailPage', `${P0}.DetailPage`, undefined],
    ['ImgList null (Go nil slice)', `${P0}.ImgList`, null],
    ['no ImgList', `${P0}.ImgList`, undefined],
    [
      'PaymentInfo null and an Amount without the fee',
      `${MAIN}.Payment`,
      {
        Amount: 3980,
        IsPayment: false,
        Method: 1,
        PaymentInfo: null,
        PreferentialInfo: [{ Name: '优惠券使用', Quantity: 1, Value: 500 }],
        Time: 0,
      },
    ],
    ['an after-sale order without Refund', `${SUBS}.Items[0].Refund`, undefined],
  ])('add/main/info accepts %s', (_rule, path, to) => {
    // Prepare: the page's add carries the after-sale data too (the Go SDK's add struct does not)
    const subs = (goSdk('append/sub/info').Data[0]!.EXT as { SubsOrder: unknown }).SubsOrder;
    const body = edited(edited(goSdk('add/main/info'), SUBS, subs), path, to);

    // Act & Assess
    expect(requestIssues('add/main/info', body)).toEqual([]);
  });
});

describe('over HTTP', () => {
  let center: LocalOrderCenter;

  beforeAll(async () => {
    center = await startLocalOrderCenter({ apps: [APP] });
  });
  afterAll(() => center.stop());
  beforeEach(() => center.reset());

  it("takes an order's whole life as the Go SDK sends it, each call applied", async () => {
    // Act
    const answers = [];
    for (const call of CALL_NAMES) answers.push([call, rows(await callCenter(center, call, goSdk(call)))]);

    // Assess
    expect(answers).toEqual(CALL_NAMES.map((call) => [call, ['1']]));
    const stored = center.order('go-sdk-order-1', OPEN_ID, APP.appKey)!;
    expect(stored.data).toMatchObject({ Title: '四川大凉山丑苹果 礼盒', Status: 6, Mtime: 1764316800 });
    expect(stored.data.EXT.MainOrder.Payment.IsPayment).toBe(true);
    expect(stored.data.EXT.SubsOrder!.Items.map((i) => [i.SubOrderID, i.SubStatus])).toEqual([
      ['as-1', 402],
      ['as-2', 400],
    ]);
  });

  it('answers a field the call does not have with errno 2002 naming its path, and changes nothing', async () => {
    // Prepare
    await callCenter(center, 'add/main/info', goSdk('add/main/info'));
    const before = center.orders();

    // Act
    const result = await callCenter(
      center,
      'update/main/status',
      edited(goSdk('update/main/status'), 'Data[0].Mtime', 1),
    );

    // Assess
    expect(result.json).toEqual({
      errno: 2002,
      msg: expect.stringMatching(/^param error: Data\[0\]\.Mtime: is not a field of update\/main\/status/),
      data: [],
    });
    expect(center.orders()).toEqual(before);
  });
});
