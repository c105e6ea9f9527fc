import { startLocalOrderCenter, type LocalOrderCenter } from '../../local/order-center';
import type { CallBodies, Express, OrderData, SubOrderItem } from '../../lib/order-center/types';
import { APP, callCenter, mainOrder, OPEN_ID, OTHER_APP, page, rows, T0, testClock } from './helpers';

describe('local Order Center: the seven calls', () => {
  let center: LocalOrderCenter;
  const clock = testClock();

  beforeAll(async () => {
    center = await startLocalOrderCenter({ apps: [APP, OTHER_APP], now: clock.now });
  });
  afterAll(() => center.stop());
  beforeEach(() => center.reset());

  async function add(order: OrderData, openId = OPEN_ID): Promise<void> {
    const result = await callCenter(center, 'add/main/info', { Data: [order] }, { openId });
    expect(rows(result)).toEqual(['1']);
  }

  const RID = '2221554346520';
  const RID2 = '3221554346520';
  const stored = (resourceId = RID) => center.order(resourceId, OPEN_ID, APP.appKey);

  describe('add/main/info', () => {
    it("imports the page's example and answers in the page's reply shape", async () => {
      // Prepare
      const body = page.addMainInfo();
      // Act
      const result = await callCenter(center, 'add/main/info', body);
      // Assess
      expect(result.status).toBe(200);
      expect(Object.keys(result.json)).toEqual(Object.keys(page.reply()));
      expect(Object.keys(result.json.data![0]!)).toEqual(Object.keys(page.reply().data[0]!));
      expect(result.json).toEqual({
        errno: 0,
        msg: 'success',
        data: [{ biz_app_id: APP.appKey, cate_id: '1', resource_id: RID, rows_affected: '1' }],
      });
      expect(center.orders()).toEqual([
        {
          openId: OPEN_ID,
          data: body.Data[0],
          statusHistory: [{ status: 200, at: T0 }],
          subStatusHistory: { onlyOne: [400] },
          logistics: [],
        },
      ]);
    });

    it('overwrites main and after-sale data of an existing ResourceID', async () => {
      // Prepare
      await add(page.addMainInfo().Data[0]);
      const replacement = mainOrder({ Title: 'replaced', Status: 5, Mtime: T0 });
      // Act
      const result = await callCenter(center, 'add/main/info', { Data: [replacement] });
      // Assess
      expect(rows(result)).toEqual(['1']);
      expect(center.orders()).toHaveLength(1);
      expect(stored()!.data).toEqual(replacement);
      expect(stored()!.data.EXT.SubsOrder).toBeUndefined();
      expect(stored()!.statusHistory.map((h) => h.status)).toEqual([200, 5]);
    });

    it('keeps orders of different users and different mini-programs apart', async () => {
      // Prepare
      await add(mainOrder({ Status: 1 }), 'user-a');
      // Act
      await add(mainOrder({ Status: 5 }), 'user-b');
      const other = await callCenter(
        center,
        'add/main/info',
        { Data: [mainOrder({ BizAPPID: OTHER_APP.appKey, Status: 6 })] },
        { openId: 'user-a', token: center.issueToken(OTHER_APP.appKey) },
      );
      // Assess
      expect(rows(other)).toEqual(['1']);
      expect(center.orders()).toHaveLength(3);
      expect(center.order(RID, 'user-a', APP.appKey)!.data.Status).toBe(1);
      expect(center.order(RID, 'user-b')!.data.Status).toBe(5);
      expect(center.order(RID, 'user-a', OTHER_APP.appKey)!.data.Status).toBe(6);
    });
  });

  describe('update/main/info', () => {
    it("replaces the main order with the page's example and keeps the after-sale data", async () => {
      // Prepare
      const original = page.addMainInfo().Data[0];
      await add({ ...original, Status: 1 });
      const body = page.updateMainInfo();
      // Act
      const result = await callCenter(center, 'update/main/info', body);
      // Assess
      expect(result.json).toEqual({
        errno: 0,
        msg: 'success',
        data: [{ biz_app_id: APP.appKey, cate_id: '2', resource_id: RID, rows_affected: '1' }],
      });
      const order = stored()!;
      expect(order.data.EXT.MainOrder).toEqual(body.Data[0]!.EXT.MainOrder);
      expect(order.data.EXT.SubsOrder).toEqual(original.EXT.SubsOrder);
      expect(order.data.Status).toBe(200);
      // The page's example leaves Title, Ctime and Mtime out: they stay as they were.
      expect([order.data.Title, order.data.Ctime, order.data.Mtime]).toEqual([
        original.Title,
        original.Ctime,
        original.Mtime,
      ]);
      expect(order.statusHistory.map((h) => h.status)).toEqual([1, 200]);
    });

    it('changes content and status; Title, Ctime and Mtime stay as the add set them', async () => {
      // Prepare
      const order = mainOrder({ Status: 1 });
      await add(order);
      const [item] = page.updateMainInfo().Data;
      const update = { ...item!, CateID: 1 as const, Status: 5 as const };
      // Act
      const result = await callCenter(center, 'update/main/info', { Data: [update] });
      // Assess
      expect(rows(result)).toEqual(['1']);
      const { Title, Ctime, Mtime } = order;
      expect(stored()!.data).toMatchObject({
        Title,
        Ctime,
        Mtime,
        Status: 5,
        EXT: { MainOrder: item!.EXT.MainOrder },
      });
    });

    it.each(['Title', 'Ctime', 'Mtime'])(
      'refuses %s, which the call does not have, with errno 2002',
      async (field) => {
        // Prepare
        const order = mainOrder({ Status: 1 });
        await add(order);
        const [item] = page.updateMainInfo().Data;
        const update = { ...item!, CateID: 1, Status: 5, [field]: field === 'Title' ? 'new title' : T0 };
        // Act
        const result = await callCenter(center, 'update/main/info', { Data: [update] } as never);
        // Assess
        expect(result.json).toMatchObject({ errno: 2002, msg: expect.stringContaining(`Data[0].${field}`) });
        expect(stored()!.data).toEqual(order);
      },
    );

    it('answers rows_affected "0" for an order it does not have and stores nothing', async () => {
      // Act
      const result = await callCenter(center, 'update/main/info', page.updateMainInfo());
      // Assess
      expect(result.json.errno).toBe(0);
      expect(rows(result)).toEqual(['0']);
      expect(center.orders()).toEqual([]);
    });
  });

  describe('update/main/status', () => {
    it("sets the status of every item of the page's example", async () => {
      // Prepare
      await add(mainOrder({ ResourceID: RID, CateID: 2, Status: 2 }));
      await add(mainOrder({ ResourceID: RID2, CateID: 2, Status: 4 }));
      clock.advance(60);
      // Act
      const result = await callCenter(center, 'update/main/status', page.updateMainStatus());
      // Assess
      expect(result.json.data).toEqual([
        { biz_app_id: APP.appKey, cate_id: '2', resource_id: RID, rows_affected: '1' },
        { biz_app_id: APP.appKey, cate_id: '2', resource_id: RID2, rows_affected: '1' },
      ]);
      expect(stored(RID)!.statusHistory).toEqual([
        { status: 2, at: clock.now() - 60 },
        { status: 200, at: clock.now() },
      ]);
      expect(stored(RID2)!.data.Status).toBe(200);
    });

    it('sets the status alone: Mtime and the rest of the order stay', async () => {
      // Prepare
      const order = mainOrder({ Status: 5 });
      await add(order);
      // Act
      await callCenter(center, 'update/main/status', {
        Data: [{ CateID: 1, BizAPPID: APP.appKey, ResourceID: RID, Status: 6 }],
      });
      // Assess
      expect(stored()!.data).toEqual({ ...order, Status: 6 });
    });

    it('refuses Mtime, which the call does not have, with errno 2002 and changes nothing', async () => {
      // Prepare
      const order = mainOrder({ Status: 5 });
      await add(order);
      // Act
      const result = await callCenter(center, 'update/main/status', {
        Data: [{ CateID: 1, BizAPPID: APP.appKey, ResourceID: RID, Status: 6, Mtime: T0 + 100 }],
      } as never);
      // Assess
      expect(result.json).toMatchObject({ errno: 2002, msg: expect.stringContaining('Data[0].Mtime') });
      expect(stored()!.data).toEqual(order);
    });

    it('answers "0" for a missing order and still applies the other items', async () => {
      // Prepare
      await add(mainOrder({ ResourceID: RID2, CateID: 2, Status: 2 }));
      // Act
      const result = await callCenter(center, 'update/main/status', page.updateMainStatus());
      // Assess
      expect(rows(result)).toEqual(['0', '1']);
      expect(center.orders().map((o) => [o.data.ResourceID, o.data.Status])).toEqual([[RID2, 200]]);
    });

    it('answers "0" for an order of another user', async () => {
      // Prepare
      await add(mainOrder({ Status: 5 }), 'someone-else');
      // Act
      const result = await callCenter(center, 'update/main/status', {
        Data: [{ CateID: 1, BizAPPID: APP.appKey, ResourceID: RID, Status: 6 }],
      });
      // Assess
      expect(rows(result)).toEqual(['0']);
      expect(center.order(RID, 'someone-else')!.data.Status).toBe(5);
    });
  });

  describe('append/sub/info', () => {
    it("appends the page's example to an order without after-sale data", async () => {
      // Prepare
      await add(mainOrder({ Status: 200 }));
      const body = page.appendSubInfo();
      // Act
      const result = await callCenter(center, 'append/sub/info', body);
      // Assess
      expect(result.json.data).toEqual([
        { biz_app_id: APP.appKey, cate_id: '2', resource_id: RID, rows_affected: '1' },
      ]);
      expect(stored()!.data.EXT.SubsOrder).toEqual(body.Data[0]!.EXT.SubsOrder);
      expect(stored()!.subStatusHistory).toEqual({ onlyOne: [400] });
    });

    it('appends after the items already there and sets SubsOrder.Status', async () => {
      // Prepare
      const original = page.addMainInfo().Data[0];
      await add(original);
      const [item] = page.appendSubInfo().Data;
      const second: SubOrderItem = { ...item!.EXT.SubsOrder.Items[0]!, SubOrderID: 'second', SubStatus: 401 };
      // Act
      const result = await callCenter(center, 'append/sub/info', {
        Data: [{ ...item!, EXT: { SubsOrder: { Status: 401, Items: [second] } } }],
      });
      // Assess
      expect(rows(result)).toEqual(['1']);
      expect(stored()!.data.EXT.SubsOrder).toEqual({
        Status: 401,
        Items: [...original.EXT.SubsOrder!.Items, second],
      });
    });

    it('does not duplicate an after-sale item it already has', async () => {
      // Prepare
      await add(page.addMainInfo().Data[0]);
      const before = stored();
      // Act
      const result = await callCenter(center, 'append/sub/info', page.appendSubInfo());
      // Assess
      expect(result.json.errno).toBe(0);
      expect(rows(result)).toEqual(['0']);
      expect(stored()).toEqual(before);
    });

    it('answers "0" when the main order is missing and creates nothing', async () => {
      // Act
      const result = await callCenter(center, 'append/sub/info', page.appendSubInfo());
      // Assess
      expect(rows(result)).toEqual(['0']);
      expect(center.orders()).toEqual([]);
    });
  });

  describe('update/sub/info', () => {
    function updateSubInfo(subOrderId: string): CallBodies['update/sub/info'] {
      const [item] = page.appendSubInfo().Data;
      const sub: SubOrderItem = {
        SubOrderID: subOrderId,
        SubStatus: 402,
        CTime: 1571026201,
        MTime: 1571027000,
        OrderType: 3,
        Refund: { Amount: 2390, Product: [{ ID: '1014093064', Quantity: 1, Amount: 2390 }] },
      };
      return { Data: [{ ...item!, EXT: { SubsOrder: { Status: 402, Items: [sub] } } }] };
    }

    it('replaces the listed after-sale item whole and sets SubsOrder.Status', async () => {
      // Prepare
      await add(page.addMainInfo().Data[0]);
      const body = updateSubInfo('onlyOne');
      // Act
      const result = await callCenter(center, 'update/sub/info', body);
      // Assess
      expect(rows(result)).toEqual(['1']);
      expect(stored()!.data.EXT.SubsOrder).toEqual(body.Data[0]!.EXT.SubsOrder);
      expect(stored()!.data.EXT.SubsOrder!.Items[0]!.OrderDetail).toBeUndefined();
      expect(stored()!.subStatusHistory).toEqual({ onlyOne: [400, 402] });
    });

    it.each([
      ['an unknown SubOrderID', true, 'not-there'],
      ['a missing order', false, 'onlyOne'],
    ])('answers "0" for %s and changes nothing', async (_case, addFirst, subOrderId) => {
      // Prepare
      if (addFirst) await add(page.addMainInfo().Data[0]);
      const before = center.orders();
      // Act
      const result = await callCenter(center, 'update/sub/info', updateSubInfo(subOrderId));
      // Assess
      expect(result.json.errno).toBe(0);
      expect(rows(result)).toEqual(['0']);
      expect(center.orders()).toEqual(before);
    });
  });

  describe('update/sub/status', () => {
    it("sets the SubStatus of every listed item of the page's example", async () => {
      // Prepare
      await add(page.addMainInfo().Data[0]);
      // Act
      const result = await callCenter(center, 'update/sub/status', page.updateSubStatus());
      // Assess
      expect(rows(result)).toEqual(['1']);
      const subs = stored()!.data.EXT.SubsOrder!;
      expect(subs.Status).toBe(401);
      expect(subs.Items.map((i) => [i.SubOrderID, i.SubStatus, i.MTime])).toEqual([
        ['onlyOne', 401, 1571026201],
      ]);
      expect(stored()!.subStatusHistory).toEqual({ onlyOne: [400, 401] });
    });

    it('takes several items and sets their statuses alone: each MTime stays', async () => {
      // Prepare
      const order = page.addMainInfo().Data[0];
      const [first] = order.EXT.SubsOrder!.Items;
      const second = { ...first!, SubOrderID: 'second' };
      await add({ ...order, EXT: { ...order.EXT, SubsOrder: { Status: 400, Items: [first!, second] } } });
      // Act
      const result = await callCenter(center, 'update/sub/status', {
        Data: [
          {
            CateID: 1,
            BizAPPID: APP.appKey,
            ResourceID: RID,
            EXT: {
              SubsOrder: {
                Status: 407,
                Items: [
                  { SubOrderID: 'onlyOne', SubStatus: 401 },
                  { SubOrderID: 'second', SubStatus: 407 },
                ],
              },
            },
          },
        ],
      });
      // Assess
      expect(rows(result)).toEqual(['1']);
      const subs = stored()!.data.EXT.SubsOrder!;
      expect(subs.Status).toBe(407);
      expect(subs.Items.map((i) => [i.SubOrderID, i.SubStatus, i.MTime])).toEqual([
        ['onlyOne', 401, first!.MTime],
        ['second', 407, first!.MTime],
      ]);
    });

    it('answers "0" when one listed item is unknown and changes nothing', async () => {
      // Prepare
      await add(page.addMainInfo().Data[0]);
      const body = page.updateSubStatus();
      body.Data[0]!.EXT.SubsOrder.Items[1]!.SubOrderID = 'not-there';
      const before = stored();
      // Act
      const result = await callCenter(center, 'update/sub/status', body);
      // Assess
      expect(rows(result)).toEqual(['0']);
      expect(stored()).toEqual(before);
    });
  });

  describe('add/main/logistics', () => {
    const parcel = (Express: Express): CallBodies['add/main/logistics'] => ({
      Data: [{ CateID: 1, BizAPPID: APP.appKey, ResourceID: RID, EXT: { MainOrder: { Express } } }],
    });
    const SF: Express = { Code: 'SFEXPRESS', ID: 'SF1234567890', Name: '顺丰速运', Status: 0, Type: 1 };
    const YTO: Express = { Code: 'YTO', ID: 'YT7788990011', Name: '', Status: 0, Type: 2 };

    it('keeps one parcel per Type, a later one replacing the earlier, shipment first', async () => {
      // Prepare
      await add(page.addMainInfo().Data[0]);
      // Act
      const answers = [];
      for (const express of [YTO, SF, { ...SF, ID: 'SF0000000001' }])
        answers.push(rows(await callCenter(center, 'add/main/logistics', parcel(express))));
      // Assess
      expect(answers).toEqual([['1'], ['1'], ['1']]);
      expect(stored()!.logistics).toEqual([{ ...SF, ID: 'SF0000000001' }, YTO]);
    });

    it('answers "0" for an order it does not hold, and keeps nothing', async () => {
      // Act
      const result = await callCenter(center, 'add/main/logistics', parcel(SF));
      // Assess
      expect(rows(result)).toEqual(['0']);
      expect(center.orders()).toEqual([]);
    });

    it('keeps the parcels when add/main/info overwrites the order', async () => {
      // Prepare
      await add(page.addMainInfo().Data[0]);
      await callCenter(center, 'add/main/logistics', parcel(SF));
      // Act
      await add({ ...page.addMainInfo().Data[0], Title: 'replaced' });
      // Assess
      expect(stored()!.data.Title).toBe('replaced');
      expect(stored()!.logistics).toEqual([SF]);
    });

    it('refuses a carrier code it does not know with errno 2002 naming Express.Code, and keeps nothing', async () => {
      // Prepare
      await add(page.addMainInfo().Data[0]);
      // Act
      const result = await callCenter(center, 'add/main/logistics', parcel({ ...SF, Code: 'NOPE' }));
      // Assess
      expect(result.json).toEqual({
        errno: 2002,
        msg: 'param error: Data[0].EXT.MainOrder.Express.Code: "NOPE" is not a known carrier code',
        data: [],
      });
      expect(stored()!.logistics).toEqual([]);
    });
  });
});
