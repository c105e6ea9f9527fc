import { OrderStore } from '../../local/order-center';
import type { CallBodies, OrderCenterCall, OrderKey } from '../../lib/order-center/types';
import { APP, mainOrder, OPEN_ID, page, T0 } from './helpers';

const RID = '2221554346520';
const key: OrderKey = { CateID: 1, BizAPPID: APP.appKey, ResourceID: RID };

function storeWithPageOrder(): OrderStore {
  const store = new OrderStore();
  store.apply('add/main/info', OPEN_ID, page.addMainInfo(), T0);
  return store;
}

describe('OrderStore', () => {
  const refused: [string, OrderCenterCall, () => CallBodies[OrderCenterCall]][] = [
    [
      'update/main/info of another ResourceID',
      'update/main/info',
      () => {
        const [item] = page.updateMainInfo().Data;
        return { Data: [{ ...item!, ResourceID: 'other' }] };
      },
    ],
    [
      'update/main/status of another ResourceID',
      'update/main/status',
      () => ({
        Data: [{ ...key, ResourceID: 'other', Status: 6 }],
      }),
    ],
    ['append/sub/info of a SubOrderID it has', 'append/sub/info', () => page.appendSubInfo()],
    [
      'update/sub/info of an unknown SubOrderID',
      'update/sub/info',
      () => {
        const [item] = page.appendSubInfo().Data;
        const [sub] = item!.EXT.SubsOrder.Items;
        return {
          Data: [{ ...item!, EXT: { SubsOrder: { Status: 402, Items: [{ ...sub!, SubOrderID: 'nope' }] } } }],
        };
      },
    ],
    [
      'update/sub/status of an unknown SubOrderID',
      'update/sub/status',
      () => ({
        Data: [
          { ...key, EXT: { SubsOrder: { Status: 402, Items: [{ SubOrderID: 'nope', SubStatus: 402 }] } } },
        ],
      }),
    ],
  ];

  it.each(refused)('answers "0" to %s and changes nothing', (_case, call, body) => {
    // Prepare
    const store = storeWithPageOrder();
    const before = store.all();
    // Act
    const reply = store.apply(call, OPEN_ID, body(), T0 + 1);
    // Assess
    expect(reply.map((r) => r.rows_affected)).toEqual(['0']);
    expect(store.all()).toEqual(before);
  });

  it('records a status once per change, backwards moves included, with the time of the request', () => {
    // Prepare
    const store = new OrderStore();
    store.apply('add/main/info', OPEN_ID, { Data: [mainOrder({ Status: 5 })] }, T0);
    // Act
    for (const [status, at] of [
      [5, T0 + 1],
      [6, T0 + 2],
      [5, T0 + 3],
    ] as const) {
      store.apply('update/main/status', OPEN_ID, { Data: [{ ...key, Status: status }] }, at);
    }
    // Assess
    expect(store.find(RID)!.statusHistory).toEqual([
      { status: 5, at: T0 },
      { status: 6, at: T0 + 2 },
      { status: 5, at: T0 + 3 },
    ]);
  });

  it('finds an order by ResourceID alone or narrowed by user and mini-program', () => {
    // Prepare
    const store = storeWithPageOrder();
    // Act
    const found = [
      store.find(RID),
      store.find(RID, OPEN_ID, APP.appKey),
      store.find(RID, 'x'),
      store.find(RID, OPEN_ID, 'y'),
    ];
    // Assess
    expect(found.map((o) => o?.data.ResourceID)).toEqual([RID, RID, undefined, undefined]);
  });

  it('forgets everything on clear()', () => {
    // Prepare
    const store = storeWithPageOrder();
    // Act
    store.clear();
    // Assess
    expect(store.all()).toEqual([]);
  });
});
