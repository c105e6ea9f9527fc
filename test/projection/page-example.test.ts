import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Fact, OrderSnapshot } from '../../lib/events/types';
import { validateCallBody } from '../../lib/order-center/schemas';
import type { CallBodies, OrderData } from '../../lib/order-center/types';
import { addMainInfoBody, project } from '../../lib/projection';

const FIXTURE = join(__dirname, '..', 'fixtures', 'order-center', 'add-main-info.page.json');
const SWAN_DETAIL =
  'baiduboxapp://swan/B3GF3AWvCSr59myIs61uqaoYz7pPCSY1/wjz/bdxd/order-detail/order-detail?orderId=159259079195';

/** The merchant snapshot behind the page's add/main/info example. */
const pageSnapshot: OrderSnapshot = {
  openId: 'page-user',
  category: 'physical',
  title: 'test',
  createdAt: 1233212343,
  items: [
    {
      id: '1014093064',
      name: '四川大凉山丑苹果脆甜红将军盐源丑苹果',
      description: '四川大凉山丑苹果脆甜:5斤小果25个左右偏小;',
      quantity: 1,
      price: 2390,
      payPrice: 2390,
      images: ['https://imagelib.cdn.bcebos.com/cip_ml_picbc34db9a-7e10-4a96-bf8e-1c690640c6a4.jpeg'],
      sku: [{ name: '四川大凉山丑苹果脆甜', value: '5斤小果25个左右偏小' }],
    },
  ],
  fees: [{ name: '运费', amount: 100, quantity: 1 }],
  discounts: [{ name: '优惠券使用', amount: 100, quantity: 1 }],
  paymentMethod: 'online',
  appraise: { status: 'hidden', name: '', h5: '', swan: '' },
  detail: { status: 'linked', name: '', h5: '', swan: SWAN_DETAIL },
};

function pageOrder(): OrderData {
  const body = JSON.parse(readFileSync(FIXTURE, 'utf8')) as CallBodies['add/main/info'];
  const order = body.Data[0];
  // The page's after-sale part is a placeholder (SubStatus "", Status 0): not something to reproduce.
  delete order.EXT.SubsOrder;
  return order;
}

describe('project() against the API page example', () => {
  // Placed and completed, never paid: the page shows Status 200 with IsPayment false and Time 0.
  const facts: Fact[] = [
    {
      eventId: 'evt-placed',
      kind: 'placed',
      source: 'merchant',
      orderId: '2221554346520',
      occurredAt: 1233212343,
      order: pageSnapshot,
    },
    {
      eventId: 'evt-completed',
      kind: 'completed',
      source: 'merchant',
      orderId: '2221554346520',
      occurredAt: 1233212343,
    },
  ];

  it('reproduces every field of the add/main/info Data item', () => {
    // Prepare
    const expected = pageOrder();

    // Act
    const projection = project('2221554346520', facts, { bizAppId: 'a392qXwK8L5GDUWhFoC01cKwoy7tmehg' });

    // Assess
    expect(projection).toStrictEqual({
      ready: true,
      view: { data: expected, openId: 'page-user', logistics: [], anomalies: [] },
    });
  });

  it('gives a body the add/main/info schema accepts', () => {
    // Prepare
    const projection = project('2221554346520', facts, { bizAppId: 'a392qXwK8L5GDUWhFoC01cKwoy7tmehg' });
    if (!projection.ready) throw new Error('not ready');

    // Act
    const issues = validateCallBody('add/main/info', addMainInfoBody(projection.view.data));

    // Assess
    expect(issues).toEqual([]);
  });
});
