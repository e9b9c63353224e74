import { InMemoryEventStore } from '@stockade/event-store';
import { ManualClock } from '@stockade/kernel';
import { InventoryQueries } from './inventory-queries';
import { InventoryWriter } from './inventory-writer';
import { commandMeta, randomSku } from './testing/inventory-fixtures';

describe('InventoryQueries', () => {
  const clock = new ManualClock();
  const setup = () => {
    const store = new InMemoryEventStore(() => clock.now());
    return { writer: new InventoryWriter(store, { clock }), queries: new InventoryQueries(store, 3) };
  };

  it('given a SKU that never received stock, when it is read, then there is no view', async () => {
    expect(await setup().queries.getStock(randomSku())).toBeUndefined();
  });

  it('given stock with reservations, when it is read, then the view shows available units and the status for the configured threshold', async () => {
    const { writer, queries } = setup();
    const sku = randomSku();
    await writer.receiveStock(sku, 5, commandMeta(`r-${sku}`));
    await writer.reserve('c1', [{ sku, quantity: 2 }], commandMeta(`c1-${sku}`));
    expect(await queries.getStock(sku)).toEqual({ sku, onHand: 5, reserved: 2, available: 3, status: 'LIMITED' });
  });

  it('given several SKUs, when the list is read twice around a change, then it is sorted and current', async () => {
    const { writer, queries } = setup();
    const [a, b] = [randomSku('A'), randomSku('B')];
    await writer.receiveStock(b, 1, commandMeta(`r-${b}`));
    await writer.receiveStock(a, 10, commandMeta(`r-${a}`));
    expect((await queries.listStock()).map((view) => [view.sku, view.available])).toEqual([
      [a, 10],
      [b, 1],
    ]);
    await writer.adjustStock(a, -10, 'stocktake', commandMeta(`adj-${a}`));
    expect((await queries.listStock())[0]).toEqual({
      sku: a,
      onHand: 0,
      reserved: 0,
      available: 0,
      status: 'OUT_OF_STOCK',
    });
  });

  it('given a listed SKU, when it is read, then its view carries its name and price, and a SKU listed before any receipt reads as 0 available', async () => {
    const { writer, queries } = setup();
    const [stocked, upcoming] = [randomSku('A'), randomSku('B')];
    await writer.receiveStock(stocked, 5, commandMeta(`r-${stocked}`));
    await writer.setListing({ sku: stocked, name: 'Desk lamp', unitPrice: 39.5 }, commandMeta(`l-${stocked}`));
    await writer.reserve('c1', [{ sku: stocked, quantity: 1 }], commandMeta(`c1-${stocked}`));
    const listedFirst = await writer.setListing(
      { sku: upcoming, name: 'Oak desk', unitPrice: 249 },
      commandMeta(`l-${upcoming}`),
    );

    expect(await queries.getStock(stocked)).toEqual({
      sku: stocked,
      onHand: 5,
      reserved: 1,
      available: 4,
      status: 'IN_STOCK',
      name: 'Desk lamp',
      unitPrice: 39.5,
    });
    expect(listedFirst).toEqual({
      sku: upcoming,
      onHand: 0,
      reserved: 0,
      available: 0,
      status: 'OUT_OF_STOCK',
      name: 'Oak desk',
      unitPrice: 249,
    });
  });

  it('given listed and unlisted SKUs, when the catalog is read a page at a time, then only listed ones come back, in SKU order, at their current price', async () => {
    const { writer, queries } = setup();
    for (const [sku, quantity] of [
      ['C-A', 10],
      ['C-B', 2],
      ['C-C', 7],
      ['C-D', 1],
    ] as const)
      await writer.receiveStock(sku, quantity, commandMeta(`r-${sku}`));
    await writer.setListing({ sku: 'C-D', name: 'Poster', unitPrice: 15 }, commandMeta('l-d'));
    await writer.setListing({ sku: 'C-A', name: 'Mug', unitPrice: 9 }, commandMeta('l-a'));
    await writer.setListing({ sku: 'C-B', name: 'Lamp', unitPrice: 39 }, commandMeta('l-b'));
    await writer.setListing({ sku: 'C-A', name: 'Mug', unitPrice: 9.5 }, commandMeta('l-a-again'));

    const first = await queries.listCatalog({ limit: 2 });
    const second = await queries.listCatalog({ limit: 2, after: first.next as string });

    expect(first).toEqual({
      items: [
        { sku: 'C-A', name: 'Mug', unitPrice: 9.5, available: 10, status: 'IN_STOCK' },
        { sku: 'C-B', name: 'Lamp', unitPrice: 39, available: 2, status: 'LIMITED' },
      ],
      next: 'C-B',
    });
    expect(second).toEqual({ items: [{ sku: 'C-D', name: 'Poster', unitPrice: 15, available: 1, status: 'LIMITED' }] });
  });

  it('given SKUs in every status, when pages of the low ones are read, then each page follows the last and only LIMITED or OUT_OF_STOCK come back', async () => {
    const { writer, queries } = setup();
    // Threshold 3: 10 is IN_STOCK, 2 and 3 are LIMITED, 0 is OUT_OF_STOCK.
    const stock = { 'P-A': 10, 'P-B': 2, 'P-C': 0, 'P-D': 3, 'P-E': 10 } as const;
    for (const [sku, quantity] of Object.entries(stock)) {
      await writer.receiveStock(sku, Math.max(quantity, 1), commandMeta(`r-${sku}`));
      if (quantity === 0) await writer.adjustStock(sku, -1, 'damaged', commandMeta(`a-${sku}`));
    }

    const first = await queries.listPage({ status: ['LIMITED', 'OUT_OF_STOCK'], limit: 2 });
    const second = await queries.listPage({
      status: ['LIMITED', 'OUT_OF_STOCK'],
      limit: 2,
      after: first.next as string,
    });

    expect(first.items.map((view) => [view.sku, view.status])).toEqual([
      ['P-B', 'LIMITED'],
      ['P-C', 'OUT_OF_STOCK'],
    ]);
    expect(first.next).toBe('P-C');
    expect(second).toEqual({ items: [{ sku: 'P-D', onHand: 3, reserved: 0, available: 3, status: 'LIMITED' }] });
  });
});
