import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import * as yup from 'yup';
import { assertCallBody, callBodySchemas, validateCallBody } from '../../lib/order-center/schemas';
import { ORDER_CENTER_CALLS, type OrderCenterCall } from '../../lib/order-center/types';
import { InvalidInputError, issuesFromYup, type FieldIssue } from '../../lib/validation';

// ---------------------------------------------------------------------------------------------
// Editing JSON bodies by yup-style paths (`Data[0].EXT.MainOrder.Products[0].Quantity`)

type Segment = string | number;
type Container = Record<Segment, unknown>;

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

function segments(path: string): Segment[] {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map(([, key, index]) =>
    index === undefined ? key! : Number(index),
  );
}

function valueAt(root: unknown, path: string): unknown {
  return segments(path).reduce<unknown>((node, s) => (isContainer(node) ? node[s] : undefined), root);
}

function parentOf(root: unknown, path: string): [Container, Segment] {
  const segs = segments(path);
  const last = segs.pop()!;
  const parent = segs.reduce<unknown>((node, s) => (isContainer(node) ? node[s] : undefined), root);
  if (!isContainer(parent)) throw new Error(`test setup: nothing at the parent of ${path}`);
  return [parent, last];
}

type Edit = { set: string; to: unknown } | { remove: string } | { rename: string; as: string };

function edited(base: unknown, ...edits: Edit[]): unknown {
  const body = structuredClone(base);
  for (const edit of edits) {
    if ('set' in edit) {
      const [parent, key] = parentOf(body, edit.set);
      parent[key] = structuredClone(edit.to);
    } else if ('remove' in edit) {
      const [parent, key] = parentOf(body, edit.remove);
      Reflect.deleteProperty(parent, key);
    } else {
      const [parent, key] = parentOf(body, edit.rename);
      parent[edit.as] = parent[key];
      Reflect.deleteProperty(parent, key);
    }
  }
  return body;
}

// ---------------------------------------------------------------------------------------------
// Bodies: Baidu's page examples (test/fixtures/order-center/README.md), and valid ones from them

const FIXTURES = join(__dirname, '..', 'fixtures', 'order-center');
const page = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, `${name}.page.json`), 'utf8'));

/** The sub-order examples as the SDKs send them: Data as a one-item array. */
const wrapped = (body: unknown): unknown => edited(body, { set: 'Data', to: [valueAt(body, 'Data')] });

const SUBS = 'Data[0].EXT.SubsOrder';
const MAIN = 'Data[0].EXT.MainOrder';
const P0 = `${MAIN}.Products[0]`;
const PAY = `${MAIN}.Payment`;
const ITEM0 = `${SUBS}.Items[0]`;
const APPID = 'a392qXwK8L5GDUWhFoC01cKwoy7tmehg';

/** The Go SDK's add/main/logistics (openapi/submitOrderLogistics.go): the API page has no such call. */
const goSdk = (name: string): unknown =>
  JSON.parse(readFileSync(join(FIXTURES, 'go-sdk', `${name}.json`), 'utf8'));

const VALID: Readonly<Record<OrderCenterCall, unknown>> = {
  'add/main/logistics': goSdk('add-main-logistics'),
  'add/main/info': edited(
    page('add-main-info'),
    { set: `${SUBS}.Status`, to: 400 },
    { set: `${ITEM0}.SubStatus`, to: 400 },
  ),
  'update/main/info': page('update-main-info'),
  'update/main/status': page('update-main-status'),
  'append/sub/info': edited(
    wrapped(page('append-sub-info')),
    { set: `${SUBS}.Status`, to: 401 },
    { set: `${ITEM0}.SubStatus`, to: 401 },
  ),
  // The page's update/sub/info example is not JSON; its body has append/sub/info's shape.
  'update/sub/info': edited(
    wrapped(page('append-sub-info')),
    { set: `${SUBS}.Status`, to: 402 },
    { set: `${ITEM0}.SubStatus`, to: 402 },
  ),
  'update/sub/status': edited(
    wrapped(page('update-sub-status')),
    { set: `${SUBS}.Status`, to: 400 },
    { set: `${ITEM0}.SubStatus`, to: 400 },
    { set: `${SUBS}.Items[1].SubStatus`, to: 400 },
  ),
};

const images = (n: number) => Array.from({ length: n }, (_, i) => `https://img.example/${i}.jpeg`);
const skus = (n: number) => Array.from({ length: n }, (_, i) => ({ Name: `规格${i}`, Value: `值${i}` }));
const subItem = (id: string) => ({ ...(valueAt(VALID['add/main/info'], ITEM0) as object), SubOrderID: id });

const paths = (issues: FieldIssue[]) => issues.map((i) => i.path).sort();

// ---------------------------------------------------------------------------------------------

describe('the API page examples', () => {
  it('add/main/info as published fails only on its after-sale placeholders', () => {
    // Prepare
    const body = page('add-main-info');

    // Act
    const issues = validateCallBody('add/main/info', body);

    // Assess
    expect(paths(issues)).toEqual([`${SUBS}.Items[0].SubStatus`, `${SUBS}.Status`]);
    expect(issues).toContainEqual({
      path: `${SUBS}.Items[0].SubStatus`,
      message: `${SUBS}.Items[0].SubStatus must be an integer, got ""`,
    });
    expect(issues).toContainEqual({ path: `${SUBS}.Status`, message: expect.stringMatching(/got 0$/) });
  });

  it('add/main/info passes once EXT.SubsOrder is removed', () => {
    expect(validateCallBody('add/main/info', edited(page('add-main-info'), { remove: SUBS }))).toEqual([]);
  });

  it.each([
    ['update/main/info', 'update-main-info'],
    ['update/main/status', 'update-main-status'],
  ] as const)('%s passes as published (CateID 2 with Status 200)', (call, name) => {
    expect(validateCallBody(call, page(name))).toEqual([]);
  });

  it.each([
    ['append/sub/info', 'append-sub-info'],
    ['update/sub/status', 'update-sub-status'],
  ] as const)('%s as published fails: Data is an object', (call, name) => {
    expect(validateCallBody(call, page(name))).toEqual([
      {
        path: 'Data',
        message: 'Data must be an array of items (every official SDK sends one), got an object',
      },
    ]);
  });

  it('append/sub/info wrapped in an array still fails on its placeholders, then passes once they are filled in', () => {
    // Prepare
    const body = wrapped(page('append-sub-info'));

    // Act
    const before = validateCallBody('append/sub/info', body);
    const after = validateCallBody(
      'append/sub/info',
      edited(body, { set: `${ITEM0}.SubStatus`, to: 400 }, { set: `${SUBS}.Status`, to: 400 }),
    );

    // Assess
    expect(before).toEqual([
      { path: `${ITEM0}.SubStatus`, message: `${ITEM0}.SubStatus must be an integer, got ""` },
      { path: `${SUBS}.Status`, message: `${SUBS}.Status is required` },
    ]);
    expect(after).toEqual([]);
  });

  it('update/sub/status wrapped in an array still fails on its placeholders, then passes once they are filled in', () => {
    // Prepare
    const body = wrapped(page('update-sub-status'));

    // Act
    const before = validateCallBody('update/sub/status', body);
    const after = validateCallBody(
      'update/sub/status',
      edited(
        body,
        { set: `${SUBS}.Items[0].SubStatus`, to: 400 },
        { set: `${SUBS}.Items[1].SubStatus`, to: 400 },
        { set: `${SUBS}.Status`, to: 400 },
      ),
    );

    // Assess
    expect(paths(before)).toEqual([
      `${SUBS}.Items[0].SubStatus`,
      `${SUBS}.Items[1].SubStatus`,
      `${SUBS}.Status`,
    ]);
    expect(after).toEqual([]);
  });

  it.each(ORDER_CENTER_CALLS)('the valid %s body used below passes', (call) => {
    expect(validateCallBody(call, VALID[call])).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

interface Rejected {
  call: OrderCenterCall;
  rule: string;
  edits: Edit[];
  path: string;
  message: RegExp;
}

const required = (call: OrderCenterCall, path: string): Rejected => ({
  call,
  rule: `${path} is required`,
  edits: [{ remove: path }],
  path,
  message: /is required$/,
});

const nonEmpty = (call: OrderCenterCall, path: string): Rejected => ({
  call,
  rule: `${path} must not be empty`,
  edits: [{ set: path, to: '' }],
  path,
  message: /must not be empty$/,
});

const AMI: OrderCenterCall = 'add/main/info';
const UMI: OrderCenterCall = 'update/main/info';
const UMS: OrderCenterCall = 'update/main/status';
const ASI: OrderCenterCall = 'append/sub/info';
const USI: OrderCenterCall = 'update/sub/info';
const USS: OrderCenterCall = 'update/sub/status';
const AML: OrderCenterCall = 'add/main/logistics';
const EXPRESS = 'Data[0].EXT.MainOrder.Express';

const detailPageCases = (cases: [OrderCenterCall, string][]) =>
  cases.map(([call, path]): Rejected => ({
    call,
    rule: `${path} 3`,
    edits: [{ set: path, to: 3 }],
    path,
    message: /DetailPage status .*one of 0, 1, 2, got 3$/,
  }));

const timeCases = (cases: [OrderCenterCall, string, number | string][]) =>
  cases.map(([call, path, value]): Rejected => ({
    call,
    rule: `${path} ${JSON.stringify(value)}`,
    edits: [{ set: path, to: value }],
    path,
    message:
      typeof value === 'number' && Number.isInteger(value)
        ? new RegExp(`must be >= 0 \\(Unix seconds\\), got ${value}$`)
        : new RegExp(
            `must be an integer \\(Unix seconds\\), got ${JSON.stringify(value).replace('.', '\\.')}$`,
          ),
  }));

const REJECTED: Rejected[] = [
  // required fields
  ...[
    'Data',
    'Data[0].ResourceID',
    'Data[0].BizAPPID',
    'Data[0].CateID',
    'Data[0].Title',
    'Data[0].Ctime',
    'Data[0].Mtime',
    'Data[0].Status',
    'Data[0].EXT',
    MAIN,
    `${MAIN}.Products`,
    PAY,
    `${P0}.ID`,
    `${P0}.Name`,
    `${P0}.Quantity`,
    `${P0}.Price`,
    `${P0}.PayPrice`,
    `${P0}.SkuAttr[0].Name`,
    `${P0}.SkuAttr[0].Value`,
    `${PAY}.Method`,
    `${PAY}.Amount`,
    `${PAY}.IsPayment`,
    `${PAY}.PaymentInfo[0].Name`,
    `${PAY}.PaymentInfo[0].Value`,
    `${PAY}.PreferentialInfo[0].Quantity`,
    `${SUBS}.Status`,
    `${SUBS}.Items`,
    `${ITEM0}.SubOrderID`,
    `${ITEM0}.SubStatus`,
    `${ITEM0}.CTime`,
    `${ITEM0}.MTime`,
    `${ITEM0}.OrderType`,
    `${ITEM0}.Refund.Amount`,
    `${ITEM0}.Refund.Product`,
    `${ITEM0}.Refund.Product[0].ID`,
    `${ITEM0}.Refund.Product[0].Quantity`,
    `${ITEM0}.Refund.Product[0].Amount`,
  ].map((path) => required(AMI, path)),
  ...['Data[0].CateID', 'Data[0].Status', MAIN, `${PAY}.Amount`].map((path) => required(UMI, path)),
  ...['Data[0].ResourceID', 'Data[1].BizAPPID', 'Data[1].Status'].map((path) => required(UMS, path)),
  ...[SUBS, `${SUBS}.Status`, `${ITEM0}.MTime`].map((path) => required(ASI, path)),
  ...['Data[0].CateID', `${ITEM0}.CTime`].map((path) => required(USI, path)),
  ...[`${SUBS}.Status`, `${ITEM0}.SubOrderID`, `${ITEM0}.SubStatus`].map((path) => required(USS, path)),

  // non-empty ids, names, Title, BizAPPID, ResourceID
  ...[
    'Data[0].ResourceID',
    'Data[0].BizAPPID',
    'Data[0].Title',
    `${P0}.ID`,
    `${P0}.Name`,
    `${P0}.ImgList[0]`,
    `${P0}.SkuAttr[0].Name`,
    `${PAY}.PaymentInfo[0].Name`,
    `${PAY}.PreferentialInfo[0].Name`,
    `${ITEM0}.SubOrderID`,
    `${ITEM0}.Refund.Product[0].ID`,
  ].map((path) => nonEmpty(AMI, path)),
  ...['Data[1].ResourceID', 'Data[0].BizAPPID'].map((path) => nonEmpty(UMS, path)),
  ...[`${ITEM0}.SubOrderID`, 'Data[0].ResourceID'].map((path) => nonEmpty(USS, path)),
  {
    call: AMI,
    rule: 'a number as Title',
    edits: [{ set: 'Data[0].Title', to: 5 }],
    path: 'Data[0].Title',
    message: /must be a string, got 5$/,
  },

  // CateID and the status sets per CateID
  {
    call: AMI,
    rule: 'CateID 3',
    edits: [{ set: 'Data[0].CateID', to: 3 }],
    path: 'Data[0].CateID',
    message: /one of 1, 2, got 3$/,
  },
  {
    call: UMS,
    rule: 'CateID as a string',
    edits: [{ set: 'Data[0].CateID', to: '2' }],
    path: 'Data[0].CateID',
    message: /must be an integer, got "2"$/,
  },
  {
    call: AMI,
    rule: 'Status 2 (virtual only) for CateID 1',
    edits: [{ set: 'Data[0].Status', to: 2 }],
    path: 'Data[0].Status',
    message:
      /^Data\[0\]\.Status 2 is not a status of CateID 1 \(physical\), allowed: 1, 5, 6, 100, 200, 300$/,
  },
  {
    call: UMI,
    rule: 'Status 5 (physical only) for CateID 2',
    edits: [{ set: 'Data[0].Status', to: 5 }],
    path: 'Data[0].Status',
    message:
      /^Data\[0\]\.Status 5 is not a status of CateID 2 \(virtual\), allowed: 1, 2, 3, 4, 100, 200, 300$/,
  },
  {
    call: UMS,
    rule: 'Status 5 for CateID 2 on the second item',
    edits: [{ set: 'Data[1].Status', to: 5 }],
    path: 'Data[1].Status',
    message: /Status 5 is not a status of CateID 2 \(virtual\), allowed: 1, 2, 3, 4, 100, 200, 300$/,
  },
  {
    call: UMS,
    rule: 'Status 6 for CateID 2',
    edits: [{ set: 'Data[0].Status', to: 6 }],
    path: 'Data[0].Status',
    message: /6 is not a status of CateID 2/,
  },
  {
    call: AMI,
    rule: 'Status 0, no status at all',
    edits: [{ set: 'Data[0].Status', to: 0 }],
    path: 'Data[0].Status',
    message: /is not a status of CateID 1 \(physical\), allowed: 1, 5, 6, 100, 200, 300$/,
  },
  {
    call: AMI,
    rule: 'Status 7 with an invalid CateID',
    edits: [
      { set: 'Data[0].Status', to: 7 },
      { set: 'Data[0].CateID', to: 9 },
    ],
    path: 'Data[0].Status',
    message: /must be a main order status, got 7 \(CateID 1 .*; CateID 2 .*\)$/,
  },
  {
    call: AMI,
    rule: 'Status as a float',
    edits: [{ set: 'Data[0].Status', to: 200.5 }],
    path: 'Data[0].Status',
    message: /must be an integer, got 200.5$/,
  },

  // SubStatus, both SubsOrder.Status and each item's SubStatus
  {
    call: AMI,
    rule: 'SubsOrder.Status 0',
    edits: [{ set: `${SUBS}.Status`, to: 0 }],
    path: `${SUBS}.Status`,
    message: /must be an after-sale status: one of 400, 401, 402, 403, 404, 407, got 0$/,
  },
  {
    call: AMI,
    rule: 'SubStatus 405',
    edits: [{ set: `${ITEM0}.SubStatus`, to: 405 }],
    path: `${ITEM0}.SubStatus`,
    message: /one of 400, 401, 402, 403, 404, 407, got 405$/,
  },
  {
    call: ASI,
    rule: 'SubStatus ""',
    edits: [{ set: `${ITEM0}.SubStatus`, to: '' }],
    path: `${ITEM0}.SubStatus`,
    message: /must be an integer, got ""$/,
  },
  {
    call: USI,
    rule: 'SubsOrder.Status 200',
    edits: [{ set: `${SUBS}.Status`, to: 200 }],
    path: `${SUBS}.Status`,
    message: /after-sale status.*got 200$/,
  },
  {
    call: USS,
    rule: 'SubStatus 408 on the second entry',
    edits: [{ set: `${SUBS}.Items[1].SubStatus`, to: 408 }],
    path: `${SUBS}.Items[1].SubStatus`,
    message: /after-sale status.*got 408$/,
  },
  {
    call: USS,
    rule: 'SubsOrder.Status 1',
    edits: [{ set: `${SUBS}.Status`, to: 1 }],
    path: `${SUBS}.Status`,
    message: /after-sale status.*got 1$/,
  },

  // OrderType, Payment.Method, DetailPage.Status
  ...[0, 4].map((type): Rejected => ({
    call: ASI,
    rule: `OrderType ${type}`,
    edits: [{ set: `${ITEM0}.OrderType`, to: type }],
    path: `${ITEM0}.OrderType`,
    message: new RegExp(`after-sale type .*one of 1, 2, 3, got ${type}$`),
  })),
  {
    call: AMI,
    rule: 'Payment.Method 3',
    edits: [{ set: `${PAY}.Method`, to: 3 }],
    path: `${PAY}.Method`,
    message: /payment method .*one of 1, 2, got 3$/,
  },
  ...detailPageCases([
    [AMI, `${MAIN}.Appraise.Status`],
    [AMI, `${MAIN}.OrderDetail.Status`],
    [UMI, `${MAIN}.OrderDetail.Status`],
    [AMI, `${ITEM0}.OrderDetail.Status`],
    [USI, `${ITEM0}.OrderDetail.Status`],
  ]),
  {
    call: AMI,
    rule: 'Product.DetailPage.Status 3',
    edits: [{ set: `${P0}.DetailPage`, to: { Status: 3, Name: '详情' } }],
    path: `${P0}.DetailPage.Status`,
    message: /DetailPage status .*got 3$/,
  },

  // money: integer fen >= 0
  {
    call: AMI,
    rule: 'a float Price',
    edits: [{ set: `${P0}.Price`, to: 23.9 }],
    path: `${P0}.Price`,
    message: /must be an integer number of fen, got 23.9$/,
  },
  {
    call: UMI,
    rule: 'a float PayPrice',
    edits: [{ set: `${P0}.PayPrice`, to: 2389.5 }],
    path: `${P0}.PayPrice`,
    message: /must be an integer number of fen, got 2389.5$/,
  },
  {
    call: AMI,
    rule: 'a negative PayPrice',
    edits: [{ set: `${P0}.PayPrice`, to: -1 }],
    path: `${P0}.PayPrice`,
    message: /must be >= 0 fen, got -1$/,
  },
  {
    call: AMI,
    rule: 'a negative Payment.Amount',
    edits: [{ set: `${PAY}.Amount`, to: -2390 }],
    path: `${PAY}.Amount`,
    message: /must be >= 0 fen, got -2390$/,
  },
  {
    call: AMI,
    rule: 'a negative PaymentInfo Value',
    edits: [{ set: `${PAY}.PaymentInfo[0].Value`, to: -100 }],
    path: `${PAY}.PaymentInfo[0].Value`,
    message: /must be >= 0 fen, got -100$/,
  },
  {
    call: UMI,
    rule: 'a negative PreferentialInfo Value',
    edits: [{ set: `${PAY}.PreferentialInfo[0].Value`, to: -100 }],
    path: `${PAY}.PreferentialInfo[0].Value`,
    message: /must be >= 0 fen, got -100$/,
  },
  {
    call: AMI,
    rule: 'a float Refund Amount',
    edits: [{ set: `${ITEM0}.Refund.Amount`, to: 0.1 }],
    path: `${ITEM0}.Refund.Amount`,
    message: /must be an integer number of fen, got 0.1$/,
  },
  {
    call: ASI,
    rule: 'a negative Refund Product Amount',
    edits: [{ set: `${ITEM0}.Refund.Product[0].Amount`, to: -10 }],
    path: `${ITEM0}.Refund.Product[0].Amount`,
    message: /must be >= 0 fen, got -10$/,
  },
  {
    call: AMI,
    rule: 'a money string',
    edits: [{ set: `${P0}.Price`, to: '2390' }],
    path: `${P0}.Price`,
    message: /must be an integer number of fen, got "2390"$/,
  },

  // Quantity: integer >= 1
  {
    call: AMI,
    rule: 'a string Quantity',
    edits: [{ set: `${P0}.Quantity`, to: '1' }],
    path: `${P0}.Quantity`,
    message: /must be an integer, got "1"$/,
  },
  {
    call: AMI,
    rule: 'Quantity 0',
    edits: [{ set: `${P0}.Quantity`, to: 0 }],
    path: `${P0}.Quantity`,
    message: /must be at least 1, got 0$/,
  },
  {
    call: UMI,
    rule: 'a float Quantity',
    edits: [{ set: `${P0}.Quantity`, to: 1.5 }],
    path: `${P0}.Quantity`,
    message: /must be an integer, got 1.5$/,
  },
  {
    call: AMI,
    rule: 'PaymentInfo Quantity 0',
    edits: [{ set: `${PAY}.PaymentInfo[0].Quantity`, to: 0 }],
    path: `${PAY}.PaymentInfo[0].Quantity`,
    message: /must be at least 1, got 0$/,
  },
  {
    call: ASI,
    rule: 'Refund Product Quantity 0',
    edits: [{ set: `${ITEM0}.Refund.Product[0].Quantity`, to: 0 }],
    path: `${ITEM0}.Refund.Product[0].Quantity`,
    message: /must be at least 1, got 0$/,
  },

  // times: integer >= 0
  ...timeCases([
    [AMI, 'Data[0].Ctime', -1],
    [AMI, 'Data[0].Mtime', 1.5],
    [AMI, `${PAY}.Time`, -1],
    [AMI, `${ITEM0}.CTime`, '1571026201'],
    [ASI, `${ITEM0}.MTime`, -1],
  ]),

  // ImgList <= 5 (each a non-empty string), SkuAttr <= 4, IsPayment boolean
  {
    call: AMI,
    rule: 'ImgList of 6',
    edits: [{ set: `${P0}.ImgList`, to: images(6) }],
    path: `${P0}.ImgList`,
    message: /holds 6 images; at most 5 allowed$/,
  },
  {
    call: UMI,
    rule: 'ImgList of 6',
    edits: [{ set: `${P0}.ImgList`, to: images(6) }],
    path: `${P0}.ImgList`,
    message: /at most 5 allowed$/,
  },
  {
    call: AMI,
    rule: 'an image that is not a string',
    edits: [{ set: `${P0}.ImgList`, to: ['https://img.example/0.jpeg', 42] }],
    path: `${P0}.ImgList[1]`,
    message: /must be a string, got 42$/,
  },
  {
    call: AMI,
    rule: 'ImgList as one string',
    edits: [{ set: `${P0}.ImgList`, to: 'https://img.example/0.jpeg' }],
    path: `${P0}.ImgList`,
    message: /must be an array, got "https:/,
  },
  {
    call: AMI,
    rule: 'SkuAttr of 5',
    edits: [{ set: `${P0}.SkuAttr`, to: skus(5) }],
    path: `${P0}.SkuAttr`,
    message: /holds 5 attributes; at most 4 allowed$/,
  },
  ...['false', 0, null].map((value): Rejected => ({
    call: AMI,
    rule: `IsPayment ${JSON.stringify(value)}`,
    edits: [{ set: `${PAY}.IsPayment`, to: value }],
    path: `${PAY}.IsPayment`,
    message: new RegExp(`must be true or false, got ${JSON.stringify(value)}$`),
  })),

  // Payment.Amount = Σ PayPrice×Quantity + Σ PaymentInfo Value×Quantity − Σ PreferentialInfo Value×Quantity
  {
    call: AMI,
    rule: 'Amount one fen too much',
    edits: [{ set: `${PAY}.Amount`, to: 2391 }],
    path: `${PAY}.Amount`,
    message: /must be 2390 \(Σ PayPrice×Quantity .*\), got 2391$/,
  },
  {
    call: UMI,
    rule: 'Amount one fen short',
    edits: [{ set: `${PAY}.Amount`, to: 2389 }],
    path: `${PAY}.Amount`,
    message: /must be 2390 .*got 2389$/,
  },
  {
    call: AMI,
    rule: 'Amount that ignores the quantity',
    edits: [{ set: `${P0}.Quantity`, to: 3 }],
    path: `${PAY}.Amount`,
    message: /must be 7170 .*got 2390$/,
  },
  {
    call: AMI,
    rule: 'Amount that ignores the discount',
    edits: [{ set: `${PAY}.PaymentInfo`, to: [] }],
    path: `${PAY}.Amount`,
    message: /must be 2290 .*got 2390$/,
  },

  // EXT, not Ext; no unknown keys
  {
    call: AMI,
    rule: 'Ext instead of EXT',
    edits: [{ rename: 'Data[0].EXT', as: 'Ext' }],
    path: 'Data[0].Ext',
    message: /^Data\[0\]\.Ext: the extension object must be sent as EXT, not Ext/,
  },
  {
    call: AMI,
    rule: 'Ext instead of EXT also leaves EXT missing',
    edits: [{ rename: 'Data[0].EXT', as: 'Ext' }],
    path: 'Data[0].EXT',
    message: /is required$/,
  },
  {
    call: UMI,
    rule: 'Ext instead of EXT',
    edits: [{ rename: 'Data[0].EXT', as: 'Ext' }],
    path: 'Data[0].Ext',
    message: /must be sent as EXT/,
  },
  {
    call: ASI,
    rule: 'ext instead of EXT',
    edits: [{ rename: 'Data[0].EXT', as: 'ext' }],
    path: 'Data[0].ext',
    message: /must be sent as EXT, not ext/,
  },
  {
    call: USS,
    rule: 'Ext instead of EXT',
    edits: [{ rename: 'Data[0].EXT', as: 'Ext' }],
    path: 'Data[0].Ext',
    message: /must be sent as EXT/,
  },
  {
    call: AMI,
    rule: 'MTime (the sub-order spelling) on the main order',
    edits: [{ rename: 'Data[0].Mtime', as: 'MTime' }],
    path: 'Data[0].MTime',
    message: /is not a field here; did you mean Mtime\?$/,
  },
  {
    call: AMI,
    rule: 'an unknown key on a product',
    edits: [{ set: `${P0}.Colour`, to: 'Red' }],
    path: `${P0}.Colour`,
    message:
      /is not a field here \(allowed: ID, Name, Desc, Quantity, Price, PayPrice, ImgList, DetailPage, SkuAttr\)$/,
  },
  {
    call: AMI,
    rule: 'an unknown key at the root',
    edits: [{ set: 'data', to: [] }],
    path: 'data',
    message: /^data is not a field here; did you mean Data\?$/,
  },
  {
    call: UMI,
    rule: 'SubsOrder in update/main/info',
    edits: [{ set: SUBS, to: valueAt(VALID[AMI], SUBS) }],
    path: SUBS,
    message: /is not a field here \(allowed: MainOrder\)$/,
  },
  {
    call: UMS,
    rule: 'EXT in update/main/status',
    edits: [{ set: 'Data[0].EXT', to: {} }],
    path: 'Data[0].EXT',
    message: /is not a field here/,
  },
  {
    call: UMS,
    rule: 'Title in update/main/status',
    edits: [{ set: 'Data[0].Title', to: 'test' }],
    path: 'Data[0].Title',
    message: /is not a field here/,
  },
  {
    call: ASI,
    rule: 'MainOrder in append/sub/info',
    edits: [{ set: MAIN, to: valueAt(VALID[AMI], MAIN) }],
    path: MAIN,
    message: /is not a field here \(allowed: SubsOrder\)$/,
  },
  {
    call: USS,
    rule: 'CTime on an update/sub/status entry',
    edits: [{ set: `${ITEM0}.CTime`, to: 1571026201 }],
    path: `${ITEM0}.CTime`,
    message: /is not a field here \(allowed: SubOrderID, SubStatus\)$/,
  },

  // Fields the SDKs' structs do not have (docs/contract.md section 8): refused, never sent
  ...(
    [
      [UMI, 'Data[0].Title', 'new title'],
      [UMI, 'Data[0].Ctime', 1233212343],
      [UMI, 'Data[0].Mtime', 1233212343],
      [UMS, 'Data[1].Mtime', 1764316800],
      [USS, `${ITEM0}.MTime`, 1571026201],
    ] as const
  ).map(([call, path, to]) => ({
    call,
    rule: `${path.split('.').at(-1)} in ${call}`,
    edits: [{ set: path, to }],
    path,
    message: /is not a field here/,
  })),

  // Data cardinality
  {
    call: AMI,
    rule: 'two items',
    edits: [{ set: 'Data[1]', to: valueAt(VALID[AMI], 'Data[0]') }],
    path: 'Data',
    message: /^Data must hold exactly one item: add\/main\/info takes no batch, got 2$/,
  },
  {
    call: AMI,
    rule: 'zero items',
    edits: [{ set: 'Data', to: [] }],
    path: 'Data',
    message: /must hold exactly one item: add\/main\/info takes no batch, got 0$/,
  },
  {
    call: AMI,
    rule: 'Data as an object',
    edits: [{ set: 'Data', to: valueAt(VALID[AMI], 'Data[0]') }],
    path: 'Data',
    message: /must be an array holding exactly one item, got an object$/,
  },
  {
    call: UMI,
    rule: 'zero items',
    edits: [{ set: 'Data', to: [] }],
    path: 'Data',
    message: /^Data must hold at least one item, got none$/,
  },
  {
    call: UMS,
    rule: 'zero items',
    edits: [{ set: 'Data', to: [] }],
    path: 'Data',
    message: /^Data must hold at least one item, got none$/,
  },
  ...[ASI, USI, USS].flatMap((call): Rejected[] => [
    {
      call,
      rule: 'Data as an object',
      edits: [{ set: 'Data', to: valueAt(VALID[call], 'Data[0]') }],
      path: 'Data',
      message: /^Data must be an array of items \(every official SDK sends one\), got an object$/,
    },
    {
      call,
      rule: 'two items',
      edits: [{ set: 'Data[1]', to: valueAt(VALID[call], 'Data[0]') }],
      path: 'Data',
      message: new RegExp(`^Data must hold exactly one item for ${call}, got 2$`),
    },
    {
      call,
      rule: 'zero items',
      edits: [{ set: 'Data', to: [] }],
      path: 'Data',
      message: /must hold exactly one item for .*, got 0$/,
    },
    {
      call,
      rule: 'no after-sale items',
      edits: [{ set: `${SUBS}.Items`, to: [] }],
      path: `${SUBS}.Items`,
      message: /must hold at least one after-sale item, got none$/,
    },
  ]),
  {
    call: AMI,
    rule: 'no products',
    edits: [{ set: `${MAIN}.Products`, to: [] }],
    path: `${MAIN}.Products`,
    message: /must hold at least one product, got none$/,
  },
  {
    call: AMI,
    rule: 'a SubsOrder without items',
    edits: [{ set: `${SUBS}.Items`, to: [] }],
    path: `${SUBS}.Items`,
    message: /must hold at least one after-sale item, got none$/,
  },

  // one BizAPPID per update/main/status body; unique SubOrderIDs
  {
    call: UMS,
    rule: 'two mini-programs in one body',
    edits: [{ set: 'Data[1].BizAPPID', to: 'anotherAppKey' }],
    path: 'Data[1].BizAPPID',
    message: new RegExp(`^Data\\[1\\]\\.BizAPPID must equal Data\\[0\\]\\.BizAPPID "${APPID}"`),
  },
  // add/main/logistics: Express is one object (Go, PHP, C# SDKs), every field of it required
  ...['Code', 'ID', 'Name', 'Status', 'Type'].map((field) => required(AML, `${EXPRESS}.${field}`)),
  ...['Code', 'ID', 'Name'].map((field) => nonEmpty(AML, `${EXPRESS}.${field}`)),
  {
    call: AML,
    rule: 'Express as an array (the Java SDK and the page)',
    edits: [{ set: EXPRESS, to: [valueAt(VALID[AML], EXPRESS)] }],
    path: EXPRESS,
    message: /must be an object, got \[/,
  },
  {
    call: AML,
    rule: 'Express.Status other than 0',
    edits: [{ set: `${EXPRESS}.Status`, to: 1 }],
    path: `${EXPRESS}.Status`,
    message: /Express status \(developers send 0\): one of 0, got 1$/,
  },
  {
    call: AML,
    rule: 'Express.Type 3',
    edits: [{ set: `${EXPRESS}.Type`, to: 3 }],
    path: `${EXPRESS}.Type`,
    message: /Express type .*one of 1, 2, got 3$/,
  },
  {
    call: AML,
    rule: 'Express.Type as a string',
    edits: [{ set: `${EXPRESS}.Type`, to: '1' }],
    path: `${EXPRESS}.Type`,
    message: /must be an integer, got "1"$/,
  },
  {
    call: AML,
    rule: 'a main order beside the parcel',
    edits: [{ set: 'Data[0].EXT.MainOrder.Products', to: [] }],
    path: 'Data[0].EXT.MainOrder.Products',
    message: /is not a field here/,
  },
  {
    call: AML,
    rule: 'Status at the item (an order status is not logistics)',
    edits: [{ set: 'Data[0].Status', to: 6 }],
    path: 'Data[0].Status',
    message: /is not a field here/,
  },
  {
    call: AML,
    rule: 'two parcels in one call',
    edits: [{ set: 'Data[1]', to: valueAt(VALID[AML], 'Data[0]') }],
    path: 'Data',
    message: /^Data must hold exactly one item for add\/main\/logistics, got 2$/,
  },
  ...[AMI, ASI, USI].map((call): Rejected => ({
    call,
    rule: 'a repeated SubOrderID',
    edits: [{ set: `${SUBS}.Items[1]`, to: subItem('onlyOne') }],
    path: `${SUBS}.Items[1].SubOrderID`,
    message:
      /"onlyOne" is already used by Data\[0\]\.EXT\.SubsOrder\.Items\[0\]; SubOrderIDs must be unique$/,
  })),
];

describe('each rule rejects a body that breaks it, naming the path and what is wrong', () => {
  it.each(REJECTED)('$call: $rule', ({ call, edits, path, message }) => {
    // Prepare
    const body = edited(VALID[call], ...edits);

    // Act
    const issues = validateCallBody(call, body);

    // Assess
    expect(issues).toContainEqual({ path, message: expect.stringMatching(message) });
    for (const issue of issues) expect(issue.message.startsWith(issue.path || 'body')).toBe(true);
  });
});

interface Accepted {
  call: OrderCenterCall;
  rule: string;
  edits: Edit[];
}

const ACCEPTED: Accepted[] = [
  { call: AMI, rule: 'ImgList of 5', edits: [{ set: `${P0}.ImgList`, to: images(5) }] },
  { call: AMI, rule: 'SkuAttr of 4', edits: [{ set: `${P0}.SkuAttr`, to: skus(4) }] },
  { call: UMI, rule: 'SkuAttr of 4', edits: [{ set: `${P0}.SkuAttr`, to: skus(4) }] },
  { call: AMI, rule: 'an empty SkuAttr Value', edits: [{ set: `${P0}.SkuAttr[0].Value`, to: '' }] },
  {
    call: AMI,
    rule: 'no optional product fields',
    edits: [
      { remove: `${P0}.Desc` },
      { remove: `${P0}.ImgList` },
      { remove: `${P0}.SkuAttr` },
      { remove: `${MAIN}.Appraise` },
      { remove: `${MAIN}.OrderDetail` },
    ],
  },
  {
    call: AMI,
    rule: 'Amount without fees or discounts',
    edits: [
      { remove: `${PAY}.PaymentInfo` },
      { remove: `${PAY}.PreferentialInfo` },
      { remove: `${PAY}.Time` },
    ],
  },
  {
    call: AMI,
    rule: 'Amount over several quantities and lines',
    edits: [
      { set: `${P0}.Quantity`, to: 3 },
      {
        set: `${MAIN}.Products[1]`,
        to: { ID: 'p2', Name: '第二件', Quantity: 2, Price: 500, PayPrice: 450 },
      },
      { set: `${PAY}.PaymentInfo[0].Quantity`, to: 2 },
      { set: `${PAY}.PreferentialInfo[1]`, to: { Name: '满减', Value: 30, Quantity: 3 } },
      { set: `${PAY}.Amount`, to: 3 * 2390 + 2 * 450 + 2 * 100 - 100 - 3 * 30 },
    ],
  },
  {
    call: AMI,
    rule: 'a free order',
    edits: [
      { set: `${P0}.PayPrice`, to: 0 },
      { set: `${PAY}.Amount`, to: 0 },
    ],
  },
  { call: AMI, rule: 'Status 5 for CateID 1', edits: [{ set: 'Data[0].Status', to: 5 }] },
  {
    call: AMI,
    rule: 'Status 2 for CateID 2',
    edits: [
      { set: 'Data[0].CateID', to: 2 },
      { set: 'Data[0].Status', to: 2 },
    ],
  },
  {
    call: AMI,
    rule: 'Product.DetailPage',
    edits: [{ set: `${P0}.DetailPage`, to: { Status: 1, Name: '详情' } }],
  },
  { call: AMI, rule: 'IsPayment true', edits: [{ set: `${PAY}.IsPayment`, to: true }] },
  {
    call: AMI,
    rule: 'two after-sale items with distinct SubOrderIDs',
    edits: [{ set: `${SUBS}.Items[1]`, to: subItem('second') }],
  },
  { call: AMI, rule: 'after-sale items without Refund', edits: [{ remove: `${ITEM0}.Refund` }] },
  {
    call: UMI,
    rule: 'several items',
    edits: [{ set: 'Data[1]', to: valueAt(VALID[UMI], 'Data[0]') }],
  },
  {
    call: UMS,
    rule: 'one item, of CateID 1 with Status 6',
    edits: [
      { set: 'Data', to: [valueAt(VALID[UMS], 'Data[0]')] },
      { set: 'Data[0].CateID', to: 1 },
      { set: 'Data[0].Status', to: 6 },
    ],
  },
  {
    call: USI,
    rule: 'two after-sale items',
    edits: [{ set: `${SUBS}.Items[1]`, to: subItem('second') }],
  },
];

describe('bodies at the edge of the rules pass', () => {
  it.each(ACCEPTED)('$call: $rule', ({ call, edits }) => {
    expect(validateCallBody(call, edited(VALID[call], ...edits))).toEqual([]);
  });
});

describe('validateCallBody', () => {
  it('returns every issue, not just the first', () => {
    // Prepare
    const body = edited(
      VALID[AMI],
      { set: 'Data[0].Title', to: '' },
      { set: `${P0}.Quantity`, to: '1' },
      { set: `${P0}.ImgList`, to: images(6) },
      { set: `${PAY}.Method`, to: 0 },
    );

    // Act
    const issues = validateCallBody(AMI, body);

    // Assess
    expect(paths(issues)).toEqual([`${PAY}.Method`, `${P0}.ImgList`, `${P0}.Quantity`, 'Data[0].Title']);
  });

  it('does not coerce: "1" stays a string and is rejected', () => {
    expect(paths(validateCallBody(AMI, edited(VALID[AMI], { set: `${PAY}.Amount`, to: '2390' })))).toEqual([
      `${PAY}.Amount`,
    ]);
  });

  it.each([
    [undefined, { path: '', message: 'body is required' }],
    [null, { path: '', message: 'body must be an object, got null' }],
    ['Data', { path: '', message: 'body must be an object, got "Data"' }],
    [[], { path: '', message: 'body must be an object, got []' }],
    [{}, { path: 'Data', message: 'Data is required' }],
    [{ Data: null }, { path: 'Data', message: 'Data must be an array, got null' }],
  ])('rejects the body %p', (body, issue) => {
    expect(validateCallBody(UMS, body)).toEqual([issue]);
  });

  it('answers an unknown call with an issue rather than a crash', () => {
    expect(validateCallBody('delete/main/info' as OrderCenterCall, VALID[AMI])).toEqual([
      { path: '', message: 'unknown Order Center call "delete/main/info"' },
    ]);
  });
});

describe('assertCallBody', () => {
  it('throws InvalidInputError carrying every issue', () => {
    // Prepare
    const body = edited(
      VALID[AMI],
      { set: `${P0}.Price`, to: 1.5 },
      { set: `${PAY}.Amount`, to: 1 },
      { set: 'Data[0].Status', to: 2 },
    );

    // Act
    let thrown: unknown;
    try {
      assertCallBody(AMI, body);
    } catch (err) {
      thrown = err;
    }

    // Assess
    expect(thrown).toBeInstanceOf(InvalidInputError);
    const error = thrown as InvalidInputError;
    expect(error.name).toBe('InvalidInputError');
    expect(error.issues).toEqual(validateCallBody(AMI, body));
    expect(paths(error.issues)).toEqual([`${PAY}.Amount`, `${P0}.Price`, 'Data[0].Status']);
    expect(error.message).toMatch(/^invalid add\/main\/info body: /);
    expect(error.message).toContain(`${P0}.Price: ${P0}.Price must be an integer number of fen, got 1.5`);
  });

  it('lets a valid body through, typed as that call body', () => {
    const body: unknown = structuredClone(VALID[USS]);
    assertCallBody(USS, body);
    expect(body.Data[0].EXT.SubsOrder.Items.map((i) => i.SubStatus)).toEqual([400, 400]);
  });
});

// ---------------------------------------------------------------------------------------------

/** yup proper, for comparison with validateCallBody and its fast path. */
function yupIssues(call: OrderCenterCall, body: unknown): FieldIssue[] {
  try {
    callBodySchemas[call].validateSync(body, { abortEarly: false, strict: true });
    return [];
  } catch (err) {
    if (err instanceof yup.ValidationError) return issuesFromYup(err);
    throw err;
  }
}

function allPaths(node: unknown, prefix = ''): string[] {
  if (!isContainer(node)) return [];
  return Object.keys(node).flatMap((key) => {
    const path = Array.isArray(node) ? `${prefix}[${key}]` : prefix ? `${prefix}.${key}` : key;
    return [path, ...allPaths(node[key], path)];
  });
}

/** Random edits may target what an earlier edit removed: those are skipped. */
function editedWherePossible(base: unknown, changes: { path: string; value: unknown }[]): unknown {
  const body = structuredClone(base);
  for (const { path, value } of changes) {
    const segs = segments(path);
    const key = segs.pop()!;
    const parent = segs.reduce<unknown>((node, s) => (isContainer(node) ? node[s] : undefined), body);
    if (!isContainer(parent)) continue;
    if (value === undefined) Reflect.deleteProperty(parent, key);
    else parent[key] = structuredClone(value);
  }
  return body;
}

const ODD_VALUES: unknown[] = [
  undefined,
  null,
  '',
  'x',
  '1',
  0,
  -1,
  1,
  1.5,
  2,
  5,
  200,
  400,
  407,
  true,
  false,
  {},
  [],
  ['x'],
  images(6),
  { Ext: {} },
];

describe('the fast path for valid bodies', () => {
  afterEach(() => jest.restoreAllMocks());

  it.each(ORDER_CENTER_CALLS)('settles a valid %s body without running yup proper', (call) => {
    // Prepare
    const spy = jest.spyOn(callBodySchemas[call], 'validateSync');

    // Act
    const issues = validateCallBody(call, VALID[call]);

    // Assess
    expect(issues).toEqual([]);
    expect(spy).not.toHaveBeenCalled();
  });

  it.each(ORDER_CENTER_CALLS)('agrees with yup proper on randomly broken %s bodies', (call) => {
    const targets = allPaths(VALID[call]);
    const edit = fc.record({ path: fc.constantFrom(...targets), value: fc.constantFrom(...ODD_VALUES) });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (changes) => {
        // Prepare
        const body = editedWherePossible(VALID[call], changes);
        const expected = yupIssues(call, body);
        const spy = jest.spyOn(callBodySchemas[call], 'validateSync');

        try {
          // Act
          const issues = validateCallBody(call, body);

          // Assess
          expect(issues).toEqual(expected);
          expect(spy).toHaveBeenCalledTimes(expected.length > 0 ? 1 : 0);
        } finally {
          spy.mockRestore();
        }
      }),
      { numRuns: 300 },
    );
  });
});
