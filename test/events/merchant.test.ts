import { InvalidInputError, type FieldIssue } from '../../lib/validation';
import { parseMerchantEvent, type Fact, type MerchantEventType } from '../../lib/events';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const NOW = 1764400000;
const now = () => NOW;
const OCCURRED_AT = 1764316800;

const snapshot = (): JsonObject => ({
  openId: 'open-id-8n3k',
  category: 'physical',
  title: '四川大凉山丑苹果 5斤',
  createdAt: 1764316000,
  items: [
    {
      id: '1014093064',
      name: '四川大凉山丑苹果',
      description: '5斤小果25个左右',
      quantity: 1,
      price: 2490,
      payPrice: 2390,
      images: ['https://imagelib.example/apple.jpeg'],
      sku: [{ name: '规格', value: '5斤小果' }],
      detail: { status: 'linked', name: '商品详情', swan: '/pages/item?id=1014093064' },
    },
    { id: '1014093065', name: 'Pear', quantity: 2, price: 500, payPrice: 450 },
  ],
  fees: [{ name: '运费', amount: 100, quantity: 1 }],
  discounts: [{ name: '优惠券使用', amount: 100, quantity: 1 }],
});
/** 2390×1 + 450×2 + 100 − 100 */
const SNAPSHOT_AMOUNT = 3290;

const envelope = (): JsonObject => ({
  eventId: 'evt-20261128-0001',
  occurredAt: OCCURRED_AT,
  orderId: '2221554346520',
});

const validEvents: Record<MerchantEventType, () => JsonObject> = {
  'order-placed': () => ({ ...envelope(), order: snapshot() }),
  'payment-succeeded': () => ({
    ...envelope(),
    payment: { paidAt: OCCURRED_AT, amount: SNAPSHOT_AMOUNT, cashierOrderId: '800020151' },
  }),
  shipped: () => ({
    ...envelope(),
    shipment: { shippedAt: 1764320000, carrier: 'SFEXPRESS', trackingNo: 'SF1234567890' },
  }),
  'order-completed': () => envelope(),
  'order-closed': () => ({ ...envelope(), reason: 'buyer cancelled' }),
  'refund-requested': () => ({
    ...envelope(),
    refund: {
      id: 'R1',
      type: 'refund-only',
      amount: 450,
      items: [{ id: '1014093065', quantity: 1, amount: 450 }],
    },
  }),
  'refund-updated': () => ({ ...envelope(), refund: { id: 'R1', status: 'refunded' } }),
};

const DELETE = Symbol('delete');

/** Sets (or with DELETE removes) the value at a path like `order.items[0].payPrice`. */
function setPath(target: JsonObject, path: string, value: Json | typeof DELETE): void {
  const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  const last = keys.pop()!;
  let node: Json = target;
  for (const key of keys) {
    const parent = node as Record<string, Json>;
    parent[key] ??= {};
    node = parent[key];
  }
  const parent = node as Record<string, Json>;
  if (value === DELETE) Reflect.deleteProperty(parent, last);
  else parent[last] = value;
}

type Change = [path: string, value: Json | typeof DELETE];

function eventWith(type: MerchantEventType, changes: Change[]): JsonObject {
  const event = validEvents[type]();
  for (const [path, value] of changes) setPath(event, path, value);
  return event;
}

function issuesOf(type: MerchantEventType, input: unknown): FieldIssue[] {
  try {
    parseMerchantEvent(type, input, { now });
  } catch (err) {
    if (err instanceof InvalidInputError) return err.issues;
    throw err;
  }
  throw new Error(`expected ${type} event to be rejected`);
}

const FEN = 'must be an integer amount in fen (>= 0, at most 10000000000)';
const CONTROL = 'must not contain control characters';
const UNKNOWN = 'is not a known field';
const QUANTITY = 'must be an integer >= 1';
const TIME = 'must be a Unix time in whole seconds (integer > 0)';
const REQUIRED = 'is required';
const STRING = 'must be a string';
const OBJECT = 'must be an object';
const ARRAY = 'must be an array';

describe('parseMerchantEvent rejects', () => {
  // [event type, changes to its valid event, offending path, message]
  it.each<[MerchantEventType, Change[], string, string]>([
    // envelope
    ['order-completed', [['eventId', DELETE]], 'eventId', REQUIRED],
    ['order-completed', [['eventId', '']], 'eventId', REQUIRED],
    ['order-completed', [['eventId', null]], 'eventId', REQUIRED],
    ['order-completed', [['eventId', '   ']], 'eventId', 'must not be blank'],
    ['order-completed', [['eventId', 42]], 'eventId', STRING],
    ['order-completed', [['eventId', 'e'.repeat(129)]], 'eventId', 'must be at most 128 characters'],
    ['order-completed', [['occurredAt', DELETE]], 'occurredAt', REQUIRED],
    ['order-completed', [['occurredAt', 0]], 'occurredAt', TIME],
    ['order-completed', [['occurredAt', -1]], 'occurredAt', TIME],
    ['order-completed', [['occurredAt', 1764316800.5]], 'occurredAt', TIME],
    ['order-completed', [['occurredAt', '1764316800']], 'occurredAt', TIME],
    [
      'order-completed',
      [['occurredAt', NOW + 86_401]],
      'occurredAt',
      `must not be more than a day ahead of now (${NOW})`,
    ],
    [
      'order-completed',
      [['occurredAt', NOW * 1000 + 123]],
      'occurredAt',
      `Unix seconds expected; this looks like milliseconds (${NOW} in seconds)`,
    ],
    ['order-completed', [['orderId', DELETE]], 'orderId', REQUIRED],
    ['order-completed', [['orderId', '']], 'orderId', REQUIRED],
    ['order-completed', [['orderId', 2221554346520]], 'orderId', STRING],
    ['order-completed', [['orderId', '2221 554346520']], 'orderId', 'must not contain whitespace'],
    ['order-completed', [['orderId', '2221554346520\u0007']], 'orderId', CONTROL],
    ['order-completed', [['orderId', '\u001b[31m2221554346520']], 'orderId', CONTROL],
    ['order-completed', [['eventId', 'evt\u001b[2J']], 'eventId', CONTROL],
    ['order-completed', [['eventId', 'evt\r\nx']], 'eventId', CONTROL],
    [
      'order-completed',
      [['eventId', 'cashier:970000001:2']],
      'eventId',
      "must not start with baidu: or cashier: (reserved for Baidu's callbacks)",
    ],
    [
      'order-completed',
      [['eventId', 'Baidu:refund:1']],
      'eventId',
      "must not start with baidu: or cashier: (reserved for Baidu's callbacks)",
    ],
    // type: the body names its own event type, and it must be the route's
    ['order-placed', [['type', 'order-closed']], 'type', 'must be "order-placed", the type of this route'],
    ['order-completed', [['type', 5]], 'type', 'must be "order-completed", the type of this route'],
    // lengths (CONTRACT section 3)
    ['order-placed', [['order.title', 't'.repeat(201)]], 'order.title', 'must be at most 200 characters'],
    ['order-placed', [['order.openId', 'u'.repeat(129)]], 'order.openId', 'must be at most 128 characters'],
    ['order-placed', [['order.openId', 'open\nid']], 'order.openId', CONTROL],
    [
      'order-placed',
      [['order.items[0].id', 'i'.repeat(129)]],
      'order.items[0].id',
      'must be at most 128 characters',
    ],
    [
      'order-placed',
      [['order.items[0].name', 'n'.repeat(201)]],
      'order.items[0].name',
      'must be at most 200 characters',
    ],
    [
      'order-placed',
      [['order.items[0].description', 'd'.repeat(1001)]],
      'order.items[0].description',
      'must be at most 1000 characters',
    ],
    [
      'order-placed',
      [['order.items[0].sku[0].value', 'v'.repeat(201)]],
      'order.items[0].sku[0].value',
      'must be at most 200 characters',
    ],
    [
      'order-placed',
      [['order.fees[0].name', 'f'.repeat(201)]],
      'order.fees[0].name',
      'must be at most 200 characters',
    ],
    [
      'order-placed',
      [['order.detail.swan', '/'.repeat(1001)]],
      'order.detail.swan',
      'must be at most 1000 characters',
    ],
    ['shipped', [['shipment.trackingNo', 'SF1\r\n']], 'shipment.trackingNo', CONTROL],
    ['refund-updated', [['refund.id', 'R'.repeat(129)]], 'refund.id', 'must be at most 128 characters'],
    // amounts and totals stay exact integers
    ['order-placed', [['order.items[0].payPrice', 10_000_000_001]], 'order.items[0].payPrice', FEN],
    ['order-placed', [['order.items[0].payPrice', 9007199254740991]], 'order.items[0].payPrice', FEN],
    [
      'order-placed',
      [
        ['order.items[0].price', 10_000_000_000],
        ['order.items[0].payPrice', 10_000_000_000],
        ['order.items[0].quantity', 1000],
      ],
      'order.items[0].quantity',
      'times the amount must be at most 10000000000 fen',
    ],
    [
      'order-placed',
      [
        ['order.items[0].price', 6_000_000_000],
        ['order.items[0].payPrice', 6_000_000_000],
        ['order.items[1].price', 6_000_000_000],
        ['order.items[1].payPrice', 6_000_000_000],
        ['order.items[1].quantity', 1],
      ],
      'order.items',
      'must total at most 10000000000 fen',
    ],
    [
      'order-placed',
      [
        ['order.items[0].price', 10_000_000_000],
        ['order.items[0].payPrice', 10_000_000_000],
        ['order.items[0].quantity', 1],
        ['order.items[1].price', 0],
        ['order.items[1].payPrice', 0],
        ['order.discounts', []],
      ],
      'order.items',
      'with fees and discounts must total at most 10000000000 fen',
    ],
    ['refund-requested', [['refund.amount', 10_000_000_001]], 'refund.amount', FEN],
    // unknown keys at every depth
    ['order-placed', [['order.items[0].colour', 'red']], 'order.items[0].colour', UNKNOWN],
    ['order-placed', [['order.vendorNote', 'x']], 'order.vendorNote', UNKNOWN],
    ['order-placed', [['order.items[0].sku[0].hex', '#f00']], 'order.items[0].sku[0].hex', UNKNOWN],
    ['order-placed', [['order.detail.target', '_blank']], 'order.detail.target', UNKNOWN],
    ['payment-succeeded', [['payment.currency', 'CNY']], 'payment.currency', UNKNOWN],
    ['refund-requested', [['refund.items[0].sku', 'x']], 'refund.items[0].sku', UNKNOWN],
    ['order-completed', [['orderId', 'o'.repeat(65)]], 'orderId', 'must be at most 64 characters'],
    ['order-completed', [['orderId', '  ']], 'orderId', 'must not contain whitespace'],
    // DynamoDB would store both as U+FFFD: two orders in one ledger item, two events as one fact
    [
      'order-completed',
      [['orderId', 'A\ud800']],
      'orderId',
      'must be well-formed Unicode (no unpaired surrogate)',
    ],
    [
      'order-completed',
      [['orderId', '\udfffB']],
      'orderId',
      'must be well-formed Unicode (no unpaired surrogate)',
    ],
    [
      'order-completed',
      [['eventId', 'evt-\ud83d']],
      'eventId',
      'must be well-formed Unicode (no unpaired surrogate)',
    ],
    ['order-completed', [['order', null]], 'order', 'must not be null'],
    ['order-completed', [['order', 'snapshot']], 'order', OBJECT],
    ['order-completed', [['foo', 1]], 'foo', 'is not a field of order-completed events'],
    ['shipped', [['payment', { paidAt: OCCURRED_AT }]], 'payment', 'is not a field of shipped events'],
    ['order-placed', [['reason', 'x']], 'reason', 'is not a field of order-placed events'],
    ['order-completed', [['refund', { id: 'R1' }]], 'refund', 'is not a field of order-completed events'],
    // the snapshot
    ['order-placed', [['order', DELETE]], 'order', REQUIRED],
    ['order-placed', [['order', null]], 'order', REQUIRED],
    ['order-placed', [['order', []]], 'order', OBJECT],
    ['order-placed', [['order.openId', DELETE]], 'order.openId', REQUIRED],
    ['order-placed', [['order.openId', 7]], 'order.openId', STRING],
    ['order-placed', [['order.category', DELETE]], 'order.category', REQUIRED],
    ['order-placed', [['order.category', 'digital']], 'order.category', 'must be one of: physical, virtual'],
    ['order-placed', [['order.category', 1]], 'order.category', 'must be one of: physical, virtual'],
    ['order-placed', [['order.title', '']], 'order.title', REQUIRED],
    ['order-placed', [['order.createdAt', DELETE]], 'order.createdAt', REQUIRED],
    ['order-placed', [['order.createdAt', 0]], 'order.createdAt', TIME],
    ['order-placed', [['order.items', DELETE]], 'order.items', REQUIRED],
    ['order-placed', [['order.items', []]], 'order.items', 'must list at least one item'],
    ['order-placed', [['order.items', {}]], 'order.items', ARRAY],
    ['order-placed', [['order.items[0]', 'apple']], 'order.items[0]', OBJECT],
    ['order-placed', [['order.items[0].id', DELETE]], 'order.items[0].id', REQUIRED],
    ['order-placed', [['order.items[1].name', ' ']], 'order.items[1].name', 'must not be blank'],
    ['order-placed', [['order.items[0].description', 5]], 'order.items[0].description', STRING],
    [
      'order-placed',
      [['order.items[0].description', null]],
      'order.items[0].description',
      'must not be null',
    ],
    ['order-placed', [['order.items[0].quantity', DELETE]], 'order.items[0].quantity', REQUIRED],
    ['order-placed', [['order.items[0].quantity', 0]], 'order.items[0].quantity', QUANTITY],
    ['order-placed', [['order.items[0].quantity', 1.5]], 'order.items[0].quantity', QUANTITY],
    ['order-placed', [['order.items[0].price', -1]], 'order.items[0].price', FEN],
    ['order-placed', [['order.items[0].payPrice', 23.9]], 'order.items[0].payPrice', FEN],
    ['order-placed', [['order.items[0].payPrice', '2390']], 'order.items[0].payPrice', FEN],
    ['order-placed', [['order.items[0].payPrice', 2 ** 53]], 'order.items[0].payPrice', FEN],
    ['order-placed', [['order.items[0].images', 'a.jpeg']], 'order.items[0].images', ARRAY],
    [
      'order-placed',
      [['order.items[0].images', ['1', '2', '3', '4', '5', '6']]],
      'order.items[0].images',
      'must list at most 5 images',
    ],
    [
      'order-placed',
      [['order.items[0].images', ['a.jpeg', '']]],
      'order.items[0].images[1]',
      'must be a non-empty string',
    ],
    [
      'order-placed',
      [['order.items[0].sku', [1, 2, 3, 4, 5].map((n) => ({ name: `n${n}`, value: `v${n}` }))]],
      'order.items[0].sku',
      'must list at most 4 sku attributes',
    ],
    ['order-placed', [['order.items[0].sku[0].value', DELETE]], 'order.items[0].sku[0].value', REQUIRED],
    ['order-placed', [['order.items[0].sku[0]', 'red']], 'order.items[0].sku[0]', OBJECT],
    [
      'order-placed',
      [['order.items[0].detail.status', 'visible']],
      'order.items[0].detail.status',
      'must be one of: hidden, shown, linked',
    ],
    ['order-placed', [['order.items[0].detail.h5', 1]], 'order.items[0].detail.h5', STRING],
    ['order-placed', [['order.fees[0].name', DELETE]], 'order.fees[0].name', REQUIRED],
    ['order-placed', [['order.fees[0].amount', -100]], 'order.fees[0].amount', FEN],
    ['order-placed', [['order.fees[0].quantity', 0]], 'order.fees[0].quantity', QUANTITY],
    ['order-placed', [['order.discounts', 'none']], 'order.discounts', ARRAY],
    ['order-placed', [['order.discounts[0].amount', '100']], 'order.discounts[0].amount', FEN],
    [
      'order-placed',
      [['order.paymentMethod', 'card']],
      'order.paymentMethod',
      'must be one of: online, cash-on-delivery',
    ],
    ['order-placed', [['order.detail', 'page']], 'order.detail', OBJECT],
    [
      'order-placed',
      [['order.appraise.status', 'open']],
      'order.appraise.status',
      'must be one of: hidden, shown, linked',
    ],
    [
      'order-placed',
      [['order.discounts[0].amount', 5000]],
      'order.discounts',
      'must not exceed the items and fees (amount would be -1610)',
    ],
    [
      'shipped',
      [
        ['order', snapshot()],
        ['order.items[0].payPrice', -1],
      ],
      'order.items[0].payPrice',
      FEN,
    ],
    // payment-succeeded
    ['payment-succeeded', [['payment', DELETE]], 'payment', REQUIRED],
    ['payment-succeeded', [['payment', 'paid']], 'payment', OBJECT],
    ['payment-succeeded', [['payment.paidAt', DELETE]], 'payment.paidAt', REQUIRED],
    ['payment-succeeded', [['payment.paidAt', 0]], 'payment.paidAt', TIME],
    ['payment-succeeded', [['payment.amount', -5]], 'payment.amount', FEN],
    [
      'payment-succeeded',
      [['payment.cashierOrderId', '']],
      'payment.cashierOrderId',
      'must be a non-empty string',
    ],
    ['payment-succeeded', [['payment.cashierOrderId', 800020151]], 'payment.cashierOrderId', STRING],
    [
      'payment-succeeded',
      [
        ['order', snapshot()],
        ['payment.amount', 3000],
      ],
      'payment.amount',
      "must equal the order's computed amount 3290 (Σ payPrice×quantity + fees − discounts)",
    ],
    // shipped
    ['shipped', [['shipment', null]], 'shipment', 'must not be null'],
    ['shipped', [['shipment.shippedAt', 0]], 'shipment.shippedAt', TIME],
    ['shipped', [['shipment.carrier', 5]], 'shipment.carrier', STRING],
    ['shipped', [['shipment.trackingNo', null]], 'shipment.trackingNo', 'must not be null'],
    // logistics (CONTRACT sections 3 and 4)
    [
      'shipped',
      [['shipment.trackingNo', DELETE]],
      'shipment.trackingNo',
      'is required when shipment.carrier is given (Express.ID)',
    ],
    [
      'shipped',
      [['shipment.trackingNo', '  ']],
      'shipment.trackingNo',
      'is required when shipment.carrier is given (Express.ID)',
    ],
    ['shipped', [['shipment.carrier', '']], 'shipment.carrier', 'must not be blank'],
    ['shipped', [['shipment.carrier', 'SF\n']], 'shipment.carrier', CONTROL],
    [
      'shipped',
      [['shipment.carrierName', 'n'.repeat(201)]],
      'shipment.carrierName',
      'must be at most 200 characters',
    ],
    [
      'shipped',
      [
        ['shipment.carrier', DELETE],
        ['shipment.carrierName', '顺丰速运'],
      ],
      'shipment.carrier',
      "is required when shipment.carrierName is given (Baidu's carrier code, e.g. SFEXPRESS)",
    ],
    [
      'shipped',
      [['order', { ...snapshot(), category: 'virtual' }]],
      'shipment.carrier',
      'must not be given for a virtual order (order.category "virtual"): logistics are for physical goods',
    ],
    [
      'refund-updated',
      [
        ['order', { ...snapshot(), category: 'virtual' }],
        ['refund.returnShipment', { carrier: 'YTO', trackingNo: 'YT1' }],
      ],
      'refund.returnShipment.carrier',
      'must not be given for a virtual order (order.category "virtual"): logistics are for physical goods',
    ],
    [
      'refund-updated',
      [['refund.returnShipment', { carrier: 'YTO' }]],
      'refund.returnShipment.trackingNo',
      REQUIRED,
    ],
    [
      'refund-updated',
      [['refund.returnShipment', { trackingNo: 'YT1' }]],
      'refund.returnShipment.carrier',
      REQUIRED,
    ],
    ['refund-updated', [['refund.returnShipment', null]], 'refund.returnShipment', 'must not be null'],
    [
      'refund-requested',
      [['refund.returnShipment', { carrier: 'YTO', trackingNo: 'YT1', weight: 2 }]],
      'refund.returnShipment.weight',
      UNKNOWN,
    ],
    // order-closed
    ['order-closed', [['reason', 'r'.repeat(257)]], 'reason', 'must be at most 256 characters'],
    ['order-closed', [['reason', 5]], 'reason', STRING],
    // refund-requested
    ['refund-requested', [['refund', DELETE]], 'refund', REQUIRED],
    ['refund-requested', [['refund.id', DELETE]], 'refund.id', REQUIRED],
    ['refund-requested', [['refund.type', DELETE]], 'refund.type', REQUIRED],
    [
      'refund-requested',
      [['refund.type', 'refund']],
      'refund.type',
      'must be one of: refund-only, exchange, return-and-refund',
    ],
    [
      'refund-requested',
      [['refund.status', 'done']],
      'refund.status',
      'must be one of: requested, processing, refunded, exchanged, closed, rejected',
    ],
    ['refund-requested', [['refund.amount', DELETE]], 'refund.amount', REQUIRED],
    ['refund-requested', [['refund.amount', -450]], 'refund.amount', FEN],
    ['refund-requested', [['refund.items', DELETE]], 'refund.items', REQUIRED],
    ['refund-requested', [['refund.items', []]], 'refund.items', 'must list at least one item'],
    ['refund-requested', [['refund.items[0].id', DELETE]], 'refund.items[0].id', REQUIRED],
    ['refund-requested', [['refund.items[0].quantity', 0]], 'refund.items[0].quantity', QUANTITY],
    ['refund-requested', [['refund.items[0].amount', 4.5]], 'refund.items[0].amount', FEN],
    ['refund-requested', [['refund.createdAt', -1]], 'refund.createdAt', TIME],
    [
      'refund-requested',
      [['refund.detail.status', 'x']],
      'refund.detail.status',
      'must be one of: hidden, shown, linked',
    ],
    [
      'refund-requested',
      [['refund.amount', 400]],
      'refund.amount',
      'must equal the sum of refund.items[].amount (450)',
    ],
    [
      'refund-requested',
      [
        ['order', snapshot()],
        ['refund.items[0].id', 'no-such-item'],
      ],
      'refund.items[0].id',
      'must be the id of an item in order.items',
    ],
    // refund-updated
    ['refund-updated', [['refund.status', DELETE]], 'refund.status', REQUIRED],
    ['refund-updated', [['refund.id', '']], 'refund.id', REQUIRED],
    ['refund-updated', [['refund.items', []]], 'refund.items', 'must list at least one item'],
    [
      'refund-updated',
      [
        ['refund.amount', 10],
        ['refund.items', [{ id: '1', quantity: 1, amount: 9 }]],
      ],
      'refund.amount',
      'must equal the sum of refund.items[].amount (9)',
    ],
  ])('%s %j: %s %s', (type, changes, path, message) => {
    // Prepare
    const input = eventWith(type, changes);
    // Act
    const issues = issuesOf(type, input);
    // Assess
    expect(issues).toEqual([{ path, message }]);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['an array', [envelope()]],
    ['a string', '{"eventId":"evt-1"}'],
    ['a number', 1],
  ])('input that is %s, at the root', (_name, input) => {
    expect(issuesOf('order-completed', input)).toEqual([{ path: '', message: 'must be a JSON object' }]);
  });

  it('names both rules an orderId with a line feed breaks', () => {
    expect(
      issuesOf('order-completed', eventWith('order-completed', [['orderId', '2221554346520\n']])),
    ).toEqual([
      { path: 'orderId', message: 'must not contain whitespace' },
      { path: 'orderId', message: CONTROL },
    ]);
  });

  it('requires type when asked to (over HTTP), naming the route type', () => {
    // Act
    const act = () => parseMerchantEvent('shipped', validEvents.shipped(), { now, requireType: true });
    // Assess
    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow('type: is required (the event\'s type, "shipped" on this route)');
  });

  it('names every offending path at once, nested ones included', () => {
    // Prepare
    const input = eventWith('refund-requested', [
      ['eventId', ''],
      ['order', snapshot()],
      ['order.items[0].payPrice', -1],
      [
        'refund.items',
        [
          { id: '1014093064', quantity: 1, amount: 225 },
          { id: '1014093065', quantity: 0, amount: 225 },
        ],
      ],
      ['refund.amount', 450],
      ['extra', true],
    ]);
    // Act
    const issues = issuesOf('refund-requested', input);
    // Assess
    expect(issues).toHaveLength(4);
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'extra', message: 'is not a field of refund-requested events' },
        { path: 'eventId', message: REQUIRED },
        { path: 'order.items[0].payPrice', message: FEN },
        { path: 'refund.items[1].quantity', message: QUANTITY },
      ]),
    );
  });

  it('skips the payment sum while the items it is computed from are invalid', () => {
    // Prepare: payment.amount is wrong, but so is a price, so no figure could be trusted
    const input = eventWith('payment-succeeded', [
      ['order', snapshot()],
      ['order.items[1].quantity', 'two'],
      ['payment.amount', 1],
    ]);
    // Act
    const issues = issuesOf('payment-succeeded', input);
    // Assess
    expect(issues).toEqual([{ path: 'order.items[1].quantity', message: QUANTITY }]);
  });

  it('reports shape and sum issues together when the sum reads only valid fields', () => {
    const input = eventWith('refund-requested', [
      ['orderId', 'has space'],
      ['refund.amount', 1],
    ]);
    expect(issuesOf('refund-requested', input)).toEqual(
      expect.arrayContaining([
        { path: 'orderId', message: 'must not contain whitespace' },
        { path: 'refund.amount', message: 'must equal the sum of refund.items[].amount (450)' },
      ]),
    );
  });

  it('throws an InvalidInputError whose message names the event type and the paths', () => {
    const act = () => parseMerchantEvent('shipped', eventWith('shipped', [['orderId', '']]), { now });
    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow('invalid shipped event: orderId: is required');
  });

  it.each([['toString'], ['__proto__'], ['payment-failed']])('refuses to parse as event type %j', (type) => {
    expect(() => parseMerchantEvent(type as MerchantEventType, envelope(), { now })).toThrow(RangeError);
  });

  it('bounds occurredAt with the real clock when none is injected', () => {
    const farFuture = { ...envelope(), occurredAt: Math.floor(Date.now() / 1000) + 2 * 86_400 };
    expect(() => parseMerchantEvent('order-completed', farFuture)).toThrow('occurredAt: must not be more');
  });
});

describe('parseMerchantEvent accepts', () => {
  const base = {
    eventId: 'evt-20261128-0001',
    occurredAt: OCCURRED_AT,
    orderId: '2221554346520',
    source: 'merchant',
  } as const;
  const expectedSnapshot = { ...(snapshot() as unknown as Fact['order']), paymentMethod: 'online' };

  it.each<[MerchantEventType, Fact]>([
    ['order-placed', { ...base, kind: 'placed', order: expectedSnapshot } as Fact],
    [
      'payment-succeeded',
      {
        ...base,
        kind: 'paid',
        payment: { paidAt: OCCURRED_AT, amount: SNAPSHOT_AMOUNT, cashierOrderId: '800020151' },
      },
    ],
    [
      'shipped',
      {
        ...base,
        kind: 'shipped',
        shipment: { shippedAt: 1764320000, carrier: 'SFEXPRESS', trackingNo: 'SF1234567890' },
      },
    ],
    ['order-completed', { ...base, kind: 'completed' }],
    ['order-closed', { ...base, kind: 'closed', reason: 'buyer cancelled' }],
    [
      'refund-requested',
      {
        ...base,
        kind: 'refund-requested',
        refund: {
          id: 'R1',
          type: 'refund-only',
          status: 'requested',
          amount: 450,
          items: [{ id: '1014093065', quantity: 1, amount: 450 }],
          createdAt: OCCURRED_AT,
        },
      },
    ],
    ['refund-updated', { ...base, kind: 'refund-updated', refund: { id: 'R1', status: 'refunded' } }],
  ])('%s as its exact fact', (type, expected) => {
    // Act
    const fact = parseMerchantEvent(type, validEvents[type](), { now });
    // Assess
    expect(fact).toStrictEqual(expected);
  });

  it.each<[string, MerchantEventType, Change[], (fact: Fact) => unknown, unknown]>([
    [
      'shippedAt defaults to occurredAt',
      'shipped',
      [['shipment', DELETE]],
      (f) => f.shipment,
      { shippedAt: OCCURRED_AT },
    ],
    [
      'shipment without shippedAt takes occurredAt',
      'shipped',
      [['shipment', { carrier: 'SFEXPRESS', trackingNo: 'SF1' }]],
      (f) => f.shipment,
      { shippedAt: OCCURRED_AT, carrier: 'SFEXPRESS', trackingNo: 'SF1' },
    ],
    [
      'a carrier name kept as sent',
      'shipped',
      [['shipment.carrierName', '顺丰']],
      (f) => f.shipment?.carrierName,
      '顺丰',
    ],
    [
      'a tracking number without a carrier, as the first release took it',
      'shipped',
      [['shipment.carrier', DELETE]],
      (f) => f.shipment,
      { shippedAt: 1764320000, trackingNo: 'SF1234567890' },
    ],
    [
      "a carrier the service's table does not know (Baidu decides)",
      'shipped',
      [['shipment.carrier', 'ZJS']],
      (f) => f.shipment?.carrier,
      'ZJS',
    ],
    [
      'a return parcel on a refund update',
      'refund-updated',
      [['refund.returnShipment', { carrier: 'YTO', carrierName: '圆通', trackingNo: 'YT1' }]],
      (f) => f.refund?.returnShipment,
      { carrier: 'YTO', carrierName: '圆通', trackingNo: 'YT1' },
    ],
    [
      'a return parcel when the after-sale order is requested',
      'refund-requested',
      [['refund.returnShipment', { carrier: 'YTO', trackingNo: 'YT1' }]],
      (f) => f.refund?.returnShipment,
      { carrier: 'YTO', trackingNo: 'YT1' },
    ],
    [
      'a carrier on a physical order with its snapshot',
      'shipped',
      [['order', snapshot()]],
      (f) => f.shipment?.carrier,
      'SFEXPRESS',
    ],
    [
      'refund status and createdAt as sent',
      'refund-requested',
      [
        ['refund.status', 'processing'],
        ['refund.createdAt', 1764330000],
      ],
      (f) => [f.refund?.status, f.refund?.createdAt],
      ['processing', 1764330000],
    ],
    [
      'cash-on-delivery kept',
      'order-placed',
      [['order.paymentMethod', 'cash-on-delivery']],
      (f) => f.order?.paymentMethod,
      'cash-on-delivery',
    ],
    [
      'a snapshot on any event, defaults applied',
      'order-completed',
      [['order', snapshot()]],
      (f) => f.order?.paymentMethod,
      'online',
    ],
    [
      'payment.amount without a snapshot is not checked',
      'payment-succeeded',
      [['payment.amount', 1]],
      (f) => f.payment?.amount,
      1,
    ],
    [
      'a payment without amount or cashier order id',
      'payment-succeeded',
      [['payment', { paidAt: OCCURRED_AT }]],
      (f) => f.payment,
      { paidAt: OCCURRED_AT },
    ],
    [
      'refund items present in the snapshot',
      'refund-requested',
      [['order', snapshot()]],
      (f) => f.refund?.items,
      [{ id: '1014093065', quantity: 1, amount: 450 }],
    ],
    [
      'refund-updated with items and a matching amount',
      'refund-updated',
      [
        ['refund.amount', 10],
        ['refund.items', [{ id: '1', quantity: 1, amount: 10 }]],
      ],
      (f) => f.refund,
      { id: 'R1', status: 'refunded', amount: 10, items: [{ id: '1', quantity: 1, amount: 10 }] },
    ],
    [
      'eventId of 128 characters',
      'order-completed',
      [['eventId', 'e'.repeat(128)]],
      (f) => f.eventId.length,
      128,
    ],
    [
      'orderId of 64 characters',
      'order-completed',
      [['orderId', 'o'.repeat(64)]],
      (f) => f.orderId.length,
      64,
    ],
    [
      'occurredAt exactly a day ahead',
      'order-completed',
      [['occurredAt', NOW + 86_400]],
      (f) => f.occurredAt,
      NOW + 86_400,
    ],
    ['reason of 256 characters', 'order-closed', [['reason', 'r'.repeat(256)]], (f) => f.reason?.length, 256],
    ['order-closed without reason', 'order-closed', [['reason', DELETE]], (f) => 'reason' in f, false],
    [
      'five images and four sku attributes',
      'order-placed',
      [
        ['order.items[0].images', ['1', '2', '3', '4', '5']],
        ['order.items[0].sku', [1, 2, 3, 4].map((n) => ({ name: `n${n}`, value: `v${n}` }))],
      ],
      (f) => [f.order?.items[0].images?.length, f.order?.items[0].sku?.length],
      [5, 4],
    ],
    ['zero amounts', 'order-placed', [['order.items[0].payPrice', 0]], (f) => f.order?.items[0].payPrice, 0],
    [
      'its own type, which the fact does not keep',
      'shipped',
      [['type', 'shipped']],
      (f) => [f.kind, 'type' in f],
      ['shipped', false],
    ],
    [
      'amounts and totals at the cap',
      'order-placed',
      [
        ['order.items[0].price', 5_000_000_000],
        ['order.items[0].payPrice', 5_000_000_000],
        ['order.items[0].quantity', 1],
        ['order.items[1].price', 2_500_000_000],
        ['order.items[1].payPrice', 2_500_000_000],
        ['order.items[1].quantity', 2],
        ['order.fees', []],
        ['order.discounts', []],
      ],
      (f) => f.order?.items.map((item) => item.payPrice * item.quantity),
      [5_000_000_000, 5_000_000_000],
    ],
    [
      'a title of 200 characters and a description of 1,000',
      'order-placed',
      [
        ['order.title', 't'.repeat(200)],
        ['order.items[0].description', 'd'.repeat(1000)],
      ],
      (f) => [f.order?.title.length, f.order?.items[0].description?.length],
      [200, 1000],
    ],
  ])('%s', (_name, type, changes, pick, expected) => {
    // Act
    const fact = parseMerchantEvent(type, eventWith(type, changes), { now });
    // Assess
    expect(pick(fact)).toEqual(expected);
  });

  it('does not share objects with the input', () => {
    const input = validEvents['order-placed']();
    const fact = parseMerchantEvent('order-placed', input, { now });
    setPath(input, 'order.items[0].images[0]', 'changed');
    expect(fact.order?.items[0].images).toEqual(['https://imagelib.example/apple.jpeg']);
  });
});
